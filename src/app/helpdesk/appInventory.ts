import type { AppRecord, AppSnapshot } from '../../domain/inspection';

/** One app holding a permission, as the reverse lookup reports it. */
export interface PermissionHolder {
  servicePrincipalId: string;
  displayName: string;
  /** Admin consent (an app role assignment or an AllPrincipals grant), or only some users' own consent. */
  consent: 'admin' | 'per-user';
  /** For per-user consent: how many people consented. */
  users?: number;
}

/** Progress of a long lookup: how many entries have been read so far. */
export type LookupProgress = (scanned: number) => void;

/**
 * The tenant's app registrations as the helpdesk reads them (Entra ID through Microsoft Graph, in production).
 * Read-only. Answers for one app stay within a handful of directory requests.
 */
export interface AppInventory {
  /** Apps whose appId or object id is `id`, or whose service principal has that object id. */
  findById(id: string): Promise<AppRecord[]>;
  /** Apps whose display name starts with `name` (case-insensitive), at most `limit`. */
  findByName(name: string, limit: number): Promise<AppRecord[]>;
  /** Every app's display name, for "did you mean". */
  allNames(): Promise<string[]>;
  /** Owners, service principal, grants and the resource APIs they name. */
  snapshot(app: AppRecord): Promise<AppSnapshot>;
  /** Service principals holding an application permission (app role) of a resource, paging through all of them. */
  appRoleHolders(resourceAppId: string, appRoleId: string, progress?: LookupProgress): Promise<PermissionHolder[]>;
  /** Service principals holding a delegated permission (scope) of a resource, by admin or per-user consent. */
  delegatedHolders(resourceAppId: string, scope: string, progress?: LookupProgress): Promise<PermissionHolder[]>;
  /** Apps Onboard made (tagged `onboard`), with their credentials. */
  onboardApps(): Promise<AppRecord[]>;
}
