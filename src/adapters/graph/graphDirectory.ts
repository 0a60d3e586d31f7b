import type { Client } from '@microsoft/microsoft-graph-client';
import {
  DirectoryError, type AppRoleAssignmentInfo, type DelegatedGrantInfo, type Directory, type DirectoryObjectRef, type GrantOutcome,
  type GrantRequest, type Holders, type NewPassword, type PasswordInfo, type ReadBack, type ResourceServicePrincipal,
} from '../../app/directoryPort';
import { MICROSOFT_GRAPH_APP_ID, type GraphBody } from '../../domain/provisioning';
import { createGraphClient, graphCall, type GraphClientOptions } from './graphClient';
import { sendBatched, type BatchItem, type BatchOptions } from './graphBatch';
import { disablingStep, entitlementsIn, ENTITLEMENT_PROTECTED, type CurrentEntitlements } from './entitlements';

const quoted = (value: string) => `'${encodeURIComponent(value.replace(/'/g, "''"))}'`;
const isExistsError = (error: DirectoryError) => error.status === 409 || (error.status === 400 && /already exist/i.test(error.message));

interface Collection<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export type GraphDirectoryOptions = GraphClientOptions & {
  batch?: BatchOptions;
  /** Onboard's own client id: its service principal's appRoleAssignments are the Graph roles it holds. */
  clientId?: string;
};

/** The Directory port over Microsoft Graph v1.0, with Onboard's own app identity. */
export class GraphDirectory implements Directory {
  readonly client: Client;
  private readonly baseUrl: string;
  private readonly resources = new Map<string, Promise<ResourceServicePrincipal | undefined>>();
  private tenant?: Promise<{ id: string; displayName: string }>;
  private ownServicePrincipal?: Promise<string>;

  constructor(private readonly options: GraphDirectoryOptions) {
    ({ client: this.client, baseUrl: this.baseUrl } = createGraphClient(options));
  }

  async upsertApplication(uniqueName: string, body: GraphBody): Promise<DirectoryObjectRef> {
    const path = `/applications(uniqueName=${quoted(uniqueName)})`;
    const upsert = () => graphCall(() => this.client.api(path).header('Prefer', 'create-if-missing').patch(body) as Promise<{ id?: string; appId?: string } | undefined>);
    let created;
    try {
      created = await upsert();
    } catch (error) {
      // The app exists with an enabled scope or role this body changes: disable those first, then upsert again.
      if (!(error instanceof DirectoryError) || error.code !== ENTITLEMENT_PROTECTED) throw error;
      const existing = await graphCall(() => this.client.api(path).select('id').get() as Promise<{ id: string }>);
      await this.disableChangedEntitlements(existing.id, body);
      created = await upsert();
    }
    if (created?.id && created.appId) return { id: created.id, appId: created.appId, created: true };
    const existing = await graphCall(() => this.client.api(path).select('id,appId').get() as Promise<{ id: string; appId: string }>);
    return { id: existing.id, appId: existing.appId, created: false };
  }

  /** Scopes and app roles change by disable-then-change, the only way Entra allows (entitlements.ts). */
  async patchApplication(objectId: string, patch: GraphBody): Promise<void> {
    await this.disableChangedEntitlements(objectId, patch);
    await graphCall(() => this.client.api(`/applications/${objectId}`).patch(patch));
  }

  private async disableChangedEntitlements(objectId: string, patch: GraphBody): Promise<void> {
    const wanted = entitlementsIn(patch);
    if (!wanted.appRoles && !wanted.scopes) return;
    const current = await graphCall(() => this.client.api(`/applications/${objectId}`).select('appRoles,api').get() as Promise<CurrentEntitlements>);
    const step = disablingStep(current, wanted);
    if (step) await graphCall(() => this.client.api(`/applications/${objectId}`).patch(step));
  }

  async ensureServicePrincipal(appId: string): Promise<DirectoryObjectRef> {
    try {
      const sp = await graphCall(() => this.client.api('/servicePrincipals').post({ appId }) as Promise<{ id: string; appId: string }>);
      return { id: sp.id, appId: sp.appId, created: true };
    } catch (error) {
      if (!(error instanceof DirectoryError) || error.status !== 409) throw error;
      const sp = await graphCall(() => this.client.api(`/servicePrincipals(appId=${quoted(appId)})`).select('id,appId').get() as Promise<{ id: string; appId: string }>);
      return { id: sp.id, appId: sp.appId, created: false };
    }
  }

  async addOwner(appObjectId: string, directoryObjectId: string): Promise<'added' | 'exists'> {
    try {
      await graphCall(() => this.client.api(`/applications/${appObjectId}/owners/$ref`).post({ '@odata.id': `${this.baseUrl}/directoryObjects/${directoryObjectId}` }));
      return 'added';
    } catch (error) {
      if (error instanceof DirectoryError && isExistsError(error)) return 'exists';
      throw error;
    }
  }

  async addPassword(appObjectId: string, password: { displayName: string; endDateTime: string }): Promise<NewPassword> {
    const created = await graphCall(() => this.client.api(`/applications/${appObjectId}/addPassword`).post({ passwordCredential: password }) as Promise<NewPassword>);
    return { keyId: created.keyId, displayName: created.displayName, hint: created.hint, endDateTime: created.endDateTime, secretText: created.secretText };
  }

  async listPasswords(appObjectId: string): Promise<PasswordInfo[]> {
    const app = await graphCall(() => this.client.api(`/applications/${appObjectId}`).select('passwordCredentials').get() as Promise<{ passwordCredentials: PasswordInfo[] }>);
    return app.passwordCredentials.map(({ keyId, displayName, hint, endDateTime }) => ({ keyId, displayName, hint, endDateTime }));
  }

  async removePassword(appObjectId: string, keyId: string): Promise<void> {
    try {
      await graphCall(() => this.client.api(`/applications/${appObjectId}/removePassword`).post({ keyId }));
    } catch (error) {
      // Already gone is the outcome we wanted.
      if (error instanceof DirectoryError && error.status === 400 && /no password credential|not found|does not exist/i.test(error.message)) return;
      throw error;
    }
  }

  async grant(grants: GrantRequest[]): Promise<GrantOutcome[]> {
    const items: BatchItem[] = grants.map((g) => g.kind === 'appRole'
      ? { method: 'POST', url: `/servicePrincipals/${g.resourceId}/appRoleAssignedTo`, body: { principalId: g.principalId, resourceId: g.resourceId, appRoleId: g.appRoleId } }
      : { method: 'POST', url: '/oauth2PermissionGrants', body: { clientId: g.clientId, consentType: 'AllPrincipals', resourceId: g.resourceId, scope: g.scope } });
    const results = await sendBatched(this.client, items, this.options.batch);
    return results.map((result, i): GrantOutcome => {
      if (!result.error) return { grant: grants[i], outcome: 'created', id: (result.body as { id?: string } | undefined)?.id };
      if (isExistsError(result.error)) return { grant: grants[i], outcome: 'exists' };
      return { grant: grants[i], outcome: 'failed', error: result.error };
    });
  }

  resourceServicePrincipal(appId: string): Promise<ResourceServicePrincipal | undefined> {
    let found = this.resources.get(appId);
    if (!found) {
      found = graphCall(() => this.client.api('/servicePrincipals').filter(`appId eq '${appId.replace(/'/g, "''")}'`)
        .select('id,appId,displayName,appRoles,oauth2PermissionScopes').get() as Promise<Collection<ResourceServicePrincipal>>)
        .then((list) => list.value[0] && {
          id: list.value[0].id, appId: list.value[0].appId, displayName: list.value[0].displayName,
          appRoles: list.value[0].appRoles.map(({ id, value }) => ({ id, value })),
          oauth2PermissionScopes: list.value[0].oauth2PermissionScopes.map(({ id, value }) => ({ id, value })),
        });
      // A failure is not cached: the next saga asks again.
      found.catch(() => this.resources.delete(appId));
      this.resources.set(appId, found);
    }
    return found;
  }

  async readBack(ids: { appObjectId: string; servicePrincipalId: string; owners?: boolean }): Promise<ReadBack> {
    const sp = ids.servicePrincipalId;
    const [application, servicePrincipal, appRoleAssignments, delegatedGrants, owners] = await Promise.all([
      graphCall(() => this.client.api(`/applications/${ids.appObjectId}`).get() as Promise<ReadBack['application']>),
      graphCall(() => this.client.api(`/servicePrincipals/${sp}`).select('id,appId').get() as Promise<{ id: string; appId: string }>),
      this.all<AppRoleAssignmentInfo>(`/servicePrincipals/${sp}/appRoleAssignments`),
      this.all<DelegatedGrantInfo>(`/oauth2PermissionGrants?$filter=clientId eq '${sp}'`),
      ids.owners ? this.all<{ id: string }>(`/applications/${ids.appObjectId}/owners?$select=id`) : Promise.resolve(undefined),
    ]);
    return {
      application,
      servicePrincipal: { id: servicePrincipal.id, appId: servicePrincipal.appId },
      appRoleAssignments: appRoleAssignments.map(({ id, resourceId, appRoleId }) => ({ id, resourceId, appRoleId })),
      delegatedGrants: delegatedGrants.map(({ id, resourceId, consentType, principalId, scope }) => ({ id, resourceId, consentType, principalId, scope })),
      ownerIds: owners?.map((o) => o.id),
    };
  }

  async readHolders(ids: { appObjectId: string; servicePrincipalId: string }): Promise<Holders> {
    const [application, servicePrincipal, owners] = await Promise.all([
      graphCall(() => this.client.api(`/applications/${ids.appObjectId}`).get() as Promise<ReadBack['application']>),
      graphCall(() => this.client.api(`/servicePrincipals/${ids.servicePrincipalId}`).select('id,appId,passwordCredentials,keyCredentials').get() as Promise<ReadBack['servicePrincipal']>),
      this.all<{ id: string }>(`/applications/${ids.appObjectId}/owners?$select=id`),
    ]);
    return {
      application,
      servicePrincipal: { id: servicePrincipal.id, appId: servicePrincipal.appId, passwordCredentials: servicePrincipal.passwordCredentials ?? [], keyCredentials: servicePrincipal.keyCredentials ?? [] },
      ownerIds: owners.map((o) => o.id),
    };
  }

  organization(): Promise<{ id: string; displayName: string }> {
    this.tenant ??= graphCall(() => this.client.api('/organization').select('id,displayName').get() as Promise<Collection<{ id: string; displayName: string }>>)
      .then((list) => ({ id: list.value[0].id, displayName: list.value[0].displayName }));
    this.tenant.catch(() => (this.tenant = undefined));
    return this.tenant;
  }

  /**
   * The Graph roles granted to Onboard's own service principal, read from its appRoleAssignments: access tokens are
   * opaque to clients ("access tokens should be treated as opaque strings", https://learn.microsoft.com/entra/identity-platform/access-tokens).
   */
  async ownRoles(): Promise<string[]> {
    const [spId, graph] = await Promise.all([this.ownServicePrincipalId(), this.resourceServicePrincipal(MICROSOFT_GRAPH_APP_ID)]);
    const assignments = await this.all<{ resourceId: string; appRoleId: string }>(`/servicePrincipals/${spId}/appRoleAssignments`);
    if (!graph) return [];
    const names = new Map(graph.appRoles.map((r) => [r.id.toLowerCase(), r.value]));
    return assignments.filter((a) => a.resourceId === graph.id).map((a) => names.get(a.appRoleId.toLowerCase())).filter((n): n is string => !!n);
  }

  /** Onboard's own service principal, found by its client id (cached): the owner Graph records for what it creates. */
  ownServicePrincipalId(): Promise<string> {
    const clientId = this.options.clientId;
    if (!clientId) return Promise.reject(new DirectoryError({ source: 'auth', message: 'Onboard\'s client id (AZURE_CLIENT_ID) is not configured, so its Graph roles cannot be read.' }));
    this.ownServicePrincipal ??= graphCall(() => this.client.api(`/servicePrincipals(appId=${quoted(clientId)})`).select('id').get() as Promise<{ id: string }>).then((sp) => sp.id);
    this.ownServicePrincipal.catch(() => (this.ownServicePrincipal = undefined));
    return this.ownServicePrincipal;
  }

  private async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let page = await graphCall(() => this.client.api(path).get() as Promise<Collection<T>>);
    items.push(...page.value);
    while (page['@odata.nextLink']) {
      const next = page['@odata.nextLink'];
      page = await graphCall(() => this.client.api(next).get() as Promise<Collection<T>>);
      items.push(...page.value);
    }
    return items;
  }
}
