import type { DirectoryFailure, GraphBody } from '../domain/provisioning';

/**
 * The directory (Entra ID through Microsoft Graph), as provisioning and the approval checks need it.
 * Every write is idempotent or says "already exists" as a result, never as an error, so a saga can
 * repeat any step after a crash. Failures are DirectoryError, whatever the SDK underneath throws.
 */

export class DirectoryError extends Error implements DirectoryFailure {
  readonly status?: number;
  readonly code?: string;
  readonly source: 'graph' | 'auth' | 'network';
  readonly requestId?: string;

  constructor(failure: DirectoryFailure & { requestId?: string }) {
    super(failure.message);
    this.name = 'DirectoryError';
    this.status = failure.status;
    this.code = failure.code;
    this.source = failure.source ?? 'graph';
    this.requestId = failure.requestId;
  }
}

export interface DirectoryObjectRef {
  id: string;
  appId: string;
  /** False when it already existed (a repeated step). */
  created: boolean;
}

export interface PasswordInfo {
  keyId: string;
  displayName: string | null;
  hint: string | null;
  endDateTime: string;
}

/** Returned once by Graph; the caller hands `secretText` to the vault and keeps nothing else of it. */
export interface NewPassword extends PasswordInfo {
  secretText: string;
}

export type GrantRequest =
  | { kind: 'appRole'; principalId: string; resourceId: string; appRoleId: string }
  | { kind: 'delegated'; clientId: string; resourceId: string; scope: string };

export type GrantOutcome =
  | { grant: GrantRequest; outcome: 'created' | 'exists'; id?: string }
  | { grant: GrantRequest; outcome: 'failed'; error: DirectoryError };

export interface ResourceServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appRoles: { id: string; value: string }[];
  oauth2PermissionScopes: { id: string; value: string }[];
}

export interface AppRoleAssignmentInfo {
  id: string;
  resourceId: string;
  appRoleId: string;
}

export interface DelegatedGrantInfo {
  id: string;
  resourceId: string;
  consentType: string;
  principalId: string | null;
  scope: string;
}

/** What Graph says exists, read after provisioning, to compare with the plan. */
export interface ReadBack {
  application: GraphBody & { id: string; appId: string; passwordCredentials: PasswordInfo[]; identifierUris: string[] };
  servicePrincipal: { id: string; appId: string; passwordCredentials?: PasswordInfo[]; keyCredentials?: { keyId: string }[] };
  appRoleAssignments: AppRoleAssignmentInfo[];
  delegatedGrants: DelegatedGrantInfo[];
  ownerIds?: string[];
}

export type Holders = Pick<ReadBack, 'application' | 'servicePrincipal'> & { ownerIds: string[] };

export interface Directory {
  /** Creates the application under `uniqueName`, or updates the one that has it. */
  upsertApplication(uniqueName: string, body: GraphBody): Promise<DirectoryObjectRef>;
  patchApplication(objectId: string, patch: GraphBody): Promise<void>;
  /** The app's service principal, created if missing. */
  ensureServicePrincipal(appId: string): Promise<DirectoryObjectRef>;
  addOwner(appObjectId: string, directoryObjectId: string): Promise<'added' | 'exists'>;
  addPassword(appObjectId: string, password: { displayName: string; endDateTime: string }): Promise<NewPassword>;
  listPasswords(appObjectId: string): Promise<PasswordInfo[]>;
  /** Removing a password that is already gone is fine. */
  removePassword(appObjectId: string, keyId: string): Promise<void>;
  /** App role assignments and delegated grants, in `$batch` requests of at most 20; "already exists" is done. */
  grant(grants: GrantRequest[]): Promise<GrantOutcome[]>;
  /** An API's service principal by appId (cached), or undefined when the tenant has none. */
  resourceServicePrincipal(appId: string): Promise<ResourceServicePrincipal | undefined>;
  readBack(ids: { appObjectId: string; servicePrincipalId: string; owners?: boolean }): Promise<ReadBack>;
  /** Who can use the app: the application, its service principal's credentials, and its owners (no grants). */
  readHolders(ids: { appObjectId: string; servicePrincipalId: string }): Promise<Holders>;
  /** The tenant's id and name (cached). */
  organization(): Promise<{ id: string; displayName: string }>;
  /** The Graph app roles granted to Onboard's own service principal (its appRoleAssignments; tokens are opaque). */
  ownRoles(): Promise<string[]>;
  /** Onboard's own service principal (the token's `oid`): the owner the directory records for what Onboard creates. */
  ownServicePrincipalId(): Promise<string>;
}
