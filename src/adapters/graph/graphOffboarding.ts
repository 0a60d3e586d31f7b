import type { Client } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../app/directoryPort';
import type { Leftovers, OffboardDirectory } from '../../app/offboarding/offboardDirectory';
import type { OffboardTarget } from '../../domain/offboarding';
import { graphCall } from './graphClient';
import { literal } from './graphInventoryShapes';

const notFound = (error: unknown) => error instanceof DirectoryError && error.status === 404;

interface Credentials {
  passwordCredentials?: { keyId: string }[];
  keyCredentials?: { keyId: string }[];
}

/**
 * Offboarding over Microsoft Graph, with the roles the worker already holds:
 * - PATCH servicePrincipal accountEnabled, removePassword, PATCH application keyCredentials, DELETE application and
 *   restore from deleted items: Application.ReadWrite.OwnedBy, on the apps the worker created and owns
 *   (https://learn.microsoft.com/entra/identity/enterprise-apps/deactivate-application-portal,
 *   https://learn.microsoft.com/graph/api/application-delete, https://learn.microsoft.com/graph/api/directory-deleteditems-restore);
 * - DELETE appRoleAssignments: AppRoleAssignment.ReadWrite.All (https://learn.microsoft.com/graph/api/serviceprincipal-delete-approleassignments);
 * - DELETE oauth2PermissionGrants: DelegatedPermissionGrant.ReadWrite.All (https://learn.microsoft.com/graph/api/oauth2permissiongrant-delete).
 * Certificates go by PATCH keyCredentials: [] because removeKey needs a proof of possession signed with one of the
 * app's own keys, which Onboard never holds (https://learn.microsoft.com/graph/api/application-removekey).
 */
export class GraphOffboarding implements OffboardDirectory {
  constructor(private readonly client: Client) {}

  async setSignIn(servicePrincipalId: string, enabled: boolean): Promise<void> {
    await graphCall(() => this.client.api(`/servicePrincipals/${servicePrincipalId}`).patch({ accountEnabled: enabled }));
  }

  async signInEnabled(servicePrincipalId: string): Promise<boolean | undefined> {
    try {
      const sp = await graphCall(() => this.client.api(`/servicePrincipals/${servicePrincipalId}?$select=id,accountEnabled`).get() as Promise<{ accountEnabled: boolean }>);
      return sp.accountEnabled;
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async removeAppRoleAssignments(servicePrincipalId: string): Promise<number> {
    const assignments = await this.assignments(servicePrincipalId);
    for (const a of assignments) {
      await graphCall(() => this.client.api(`/servicePrincipals/${servicePrincipalId}/appRoleAssignments/${a.id}`).delete()).catch((error) => { if (!notFound(error)) throw error; });
    }
    return assignments.length;
  }

  /** Admin consent (AllPrincipals) and every person's own consent: all grants whose client is the app. */
  async removeDelegatedGrants(servicePrincipalId: string): Promise<number> {
    const grants = await this.grants(servicePrincipalId);
    for (const g of grants) {
      await graphCall(() => this.client.api(`/oauth2PermissionGrants/${g.id}`).delete()).catch((error) => { if (!notFound(error)) throw error; });
    }
    return grants.length;
  }

  async removePasswords(applicationObjectId: string): Promise<number> {
    const app = await this.application(applicationObjectId);
    const passwords = app?.passwordCredentials ?? [];
    for (const p of passwords) await graphCall(() => this.client.api(`/applications/${applicationObjectId}/removePassword`).post({ keyId: p.keyId }));
    return passwords.length;
  }

  async removeCertificates(applicationObjectId: string): Promise<number> {
    const certificates = (await this.application(applicationObjectId))?.keyCredentials ?? [];
    if (certificates.length) await graphCall(() => this.client.api(`/applications/${applicationObjectId}`).patch({ keyCredentials: [] }));
    return certificates.length;
  }

  async deleteApplication(applicationObjectId: string): Promise<number> {
    if (!(await this.application(applicationObjectId))) return 0;
    try {
      await graphCall(() => this.client.api(`/applications/${applicationObjectId}`).delete());
      return 1;
    } catch (error) {
      if (notFound(error)) return 0;
      throw error;
    }
  }

  async leftovers(target: OffboardTarget): Promise<Leftovers> {
    const live = await this.application(target.objectId);
    const deleted = live ? undefined : await this.deletedApplication(target.objectId);
    const credentials = live ?? deleted ?? {};
    const sp = await this.signInEnabled(target.servicePrincipalId);
    return {
      appRoleAssignments: sp === undefined ? 0 : (await this.assignments(target.servicePrincipalId)).length,
      // Grants are listed by client id whether or not the service principal still exists: none may be left.
      delegatedGrants: (await this.grants(target.servicePrincipalId)).length,
      passwords: credentials.passwordCredentials?.length ?? 0, certificates: credentials.keyCredentials?.length ?? 0,
      applicationLive: !!live, applicationDeleted: !!deleted,
    };
  }

  async restoreDeleted(objectId: string, kind: 'application' | 'servicePrincipal'): Promise<number> {
    const live = kind === 'application' ? await this.application(objectId) : await this.signInEnabled(objectId);
    if (live !== undefined) return 0;
    await graphCall(() => this.client.api(`/directory/deletedItems/${objectId}/restore`).post({}));
    return 1;
  }

  private async assignments(servicePrincipalId: string): Promise<{ id: string }[]> {
    try {
      return (await graphCall(() => this.client.api(`/servicePrincipals/${servicePrincipalId}/appRoleAssignments?$top=999`).get() as Promise<{ value: { id: string }[] }>)).value;
    } catch (error) {
      if (notFound(error)) return [];
      throw error;
    }
  }

  private async grants(servicePrincipalId: string): Promise<{ id: string }[]> {
    return (await graphCall(() => this.client.api(`/oauth2PermissionGrants?$filter=clientId eq ${literal(servicePrincipalId)}&$top=999`).get() as Promise<{ value: { id: string }[] }>)).value;
  }

  private async application(objectId: string): Promise<Credentials | undefined> {
    try {
      return await graphCall(() => this.client.api(`/applications/${objectId}?$select=id,passwordCredentials,keyCredentials`).get() as Promise<Credentials>);
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  private async deletedApplication(objectId: string): Promise<Credentials | undefined> {
    try {
      return await graphCall(() => this.client.api(`/directory/deletedItems/${objectId}`).get() as Promise<Credentials>);
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }
}
