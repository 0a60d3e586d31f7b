import type { Client } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../app/directoryPort';
import type { AppPermissionWriter } from '../../app/helpdesk/appPermissionWriter';
import type { DriftFixChange } from '../../domain/driftFix';
import { graphCall } from './graphClient';
import { literal } from './graphInventoryShapes';

interface Grant {
  id: string;
  scope: string | null;
}

const exists = (error: unknown) => error instanceof DirectoryError && (error.status === 409 || (error.status === 400 && /already exist/i.test(error.message)));

/**
 * The drift fix's writes over Graph, with Onboard's AppRoleAssignment.ReadWrite.All and
 * DelegatedPermissionGrant.ReadWrite.All: app role assignments, and the scopes of AllPrincipals grants.
 */
export class GraphPermissionWriter implements AppPermissionWriter {
  private readonly resources = new Map<string, Promise<string>>();

  constructor(private readonly client: Client) {}

  async grant(servicePrincipalId: string, change: DriftFixChange): Promise<'granted' | 'exists'> {
    const resourceId = await this.resource(change.resourceAppId);
    if (change.type === 'Application') {
      try {
        await graphCall(() => this.client.api(`/servicePrincipals/${resourceId}/appRoleAssignedTo`).post({ principalId: servicePrincipalId, resourceId, appRoleId: change.id }));
        return 'granted';
      } catch (error) {
        if (exists(error)) return 'exists';
        throw error;
      }
    }
    const [grant] = await this.grants(servicePrincipalId, resourceId, true);
    const scopes = (grant?.scope ?? '').split(/\s+/).filter(Boolean);
    if (scopes.some((s) => s.toLowerCase() === change.name.toLowerCase())) return 'exists';
    if (grant) await graphCall(() => this.client.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: [...scopes, change.name].join(' ') }));
    else await graphCall(() => this.client.api('/oauth2PermissionGrants').post({ clientId: servicePrincipalId, consentType: 'AllPrincipals', resourceId, scope: change.name }));
    return 'granted';
  }

  async revoke(servicePrincipalId: string, change: DriftFixChange): Promise<'removed' | 'absent'> {
    const resourceId = await this.resource(change.resourceAppId);
    if (change.type === 'Application') {
      const list = await graphCall(() => this.client.api(`/servicePrincipals/${servicePrincipalId}/appRoleAssignments?$top=999`).get() as Promise<{ value: { id: string; resourceId: string; appRoleId: string }[] }>);
      const found = list.value.filter((a) => a.resourceId === resourceId && a.appRoleId.toLowerCase() === change.id.toLowerCase());
      for (const a of found) await graphCall(() => this.client.api(`/servicePrincipals/${servicePrincipalId}/appRoleAssignments/${a.id}`).delete());
      return found.length ? 'removed' : 'absent';
    }
    // Admin consent and every person's own consent to the scope go: the fix removes the permission, not one grant of it.
    let removed = false;
    for (const grant of await this.grants(servicePrincipalId, resourceId, false)) {
      const scopes = (grant.scope ?? '').split(/\s+/).filter(Boolean);
      const kept = scopes.filter((s) => s.toLowerCase() !== change.name.toLowerCase());
      if (kept.length === scopes.length) continue;
      removed = true;
      if (kept.length) await graphCall(() => this.client.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: kept.join(' ') }));
      else await graphCall(() => this.client.api(`/oauth2PermissionGrants/${grant.id}`).delete());
    }
    return removed ? 'removed' : 'absent';
  }

  private async grants(clientId: string, resourceId: string, adminOnly: boolean): Promise<Grant[]> {
    const filter = `clientId eq ${literal(clientId)} and resourceId eq ${literal(resourceId)}${adminOnly ? ` and consentType eq 'AllPrincipals'` : ''}`;
    const list = await graphCall(() => this.client.api(`/oauth2PermissionGrants?$filter=${filter}&$top=999`).get() as Promise<{ value: Grant[] }>);
    return list.value;
  }

  private resource(appId: string): Promise<string> {
    let found = this.resources.get(appId);
    if (!found) {
      found = graphCall(() => this.client.api(`/servicePrincipals(appId=${literal(appId)})?$select=id`).get() as Promise<{ id: string }>).then((sp) => sp.id);
      found.catch(() => this.resources.delete(appId));
      this.resources.set(appId, found);
    }
    return found;
  }
}
