/**
 * The tenant's state. Graph objects are kept in their wire shape (`data`), so reads return them as they are
 * stored; what Graph never returns (owners, secret hashes, replication lag) lives beside them in `meta`.
 */
export type GraphObject = Record<string, unknown>;

export interface PasswordCredential {
  customKeyIdentifier: string | null;
  displayName: string | null;
  endDateTime: string | null;
  hint: string | null;
  keyId: string;
  secretText: string | null;
  startDateTime: string | null;
}

export interface KeyCredential {
  customKeyIdentifier: string | null;
  displayName: string | null;
  endDateTime: string | null;
  key: string | null;
  keyId: string;
  startDateTime: string | null;
  type: string | null;
  usage: string | null;
}

export interface AppRole {
  allowedMemberTypes: string[];
  description: string | null;
  displayName: string | null;
  id: string;
  isEnabled: boolean;
  origin?: string | null;
  value: string | null;
}

export interface PermissionScope {
  adminConsentDescription: string | null;
  adminConsentDisplayName: string | null;
  id: string;
  isEnabled: boolean;
  origin?: string | null;
  type: string | null;
  userConsentDescription: string | null;
  userConsentDisplayName: string | null;
  value: string | null;
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: 'Role' | 'Scope' | string }[];
}

export interface DirectoryMeta {
  /** Object ids of the owners (service principals or users). */
  ownerIds: string[];
  /** Replication lag: before this instant (ms since epoch) the object is invisible to other requests. */
  visibleAt?: number;
  /** The fault rule that caused the lag, so the failures it causes are counted against it. */
  lagRule?: string;
  /** keyId → SHA-256 of the secret text; the text itself is never kept. */
  secretHashes?: Record<string, string>;
  /** keyId → base64 DER of an uploaded certificate, which Graph itself never returns. */
  certificates?: Record<string, string>;
  /** The Microsoft Graph service principal's appRoles/scopes come from the catalogue, not from the state file. */
  fromCatalogue?: boolean;
}

export interface StoredObject {
  data: GraphObject;
  meta: DirectoryMeta;
}

export interface User {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  /** Onboard's view of the person, for the ready line and the docs; Graph never returns it. */
  onboardRoles: string[];
}

export interface Group {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  securityEnabled: boolean;
  mailEnabled: boolean;
  groupTypes: string[];
  /** Direct members: user or group ids. */
  memberIds: string[];
}

export interface Tenant {
  id: string;
  displayName: string;
  initialDomain: string;
  verifiedDomains: string[];
  createdDateTime: string;
}

export type VaultRole = 'Key Vault Secrets Officer' | 'Key Vault Secrets User' | 'Onboard Secret Handover';

export interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
}

export interface VaultState {
  /** name → versions, newest last. */
  secrets: Record<string, SecretVersion[]>;
  deleted: Record<string, { versions: SecretVersion[]; deletedDate: number; scheduledPurgeDate: number }>;
  roleAssignments: { principalId: string; role: VaultRole }[];
}

export interface TenantState {
  schema: 2;
  tenant: Tenant;
  applications: Record<string, StoredObject>;
  /** Soft-deleted applications (`/directory/deletedItems`), restorable for 30 days; absent in older state files. */
  deletedApplications?: Record<string, StoredObject>;
  servicePrincipals: Record<string, StoredObject>;
  /** Service principals soft-deleted with their application; restorable on their own for 30 days. */
  deletedServicePrincipals?: Record<string, StoredObject>;
  appRoleAssignments: Record<string, GraphObject>;
  oauth2PermissionGrants: Record<string, GraphObject>;
  users: Record<string, User>;
  groups: Record<string, Group>;
  vault: VaultState;
  /** Object ids of the bot's own registration. */
  bot: { appObjectId: string; servicePrincipalId: string; clientId: string };
}

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Microsoft's own tenant, which owns first-party apps such as Microsoft Graph. */
export const MICROSOFT_SERVICES_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

const emptyInfo = () => ({ logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null });
const emptyPublisher = () => ({ displayName: null, verifiedPublisherId: null, addedDateTime: null });

/** An application as Graph returns it right after creation: every property present, defaults filled in. */
export function defaultApplication(id: string, appId: string, publisherDomain: string, now: string): GraphObject {
  return {
    id, deletedDateTime: null, appId, applicationTemplateId: null, disabledByMicrosoftStatus: null, createdDateTime: now,
    displayName: null, description: null, groupMembershipClaims: null, identifierUris: [], isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: null, nativeAuthenticationApisEnabled: null, notes: null, oauth2RequirePostResponse: false,
    publisherDomain, serviceManagementReference: null, signInAudience: 'AzureADMyOrg', tags: [], tokenEncryptionKeyId: null,
    uniqueName: null, samlMetadataUrl: null, defaultRedirectUri: null, certification: null, optionalClaims: null,
    servicePrincipalLockConfiguration: null, requestSignatureVerification: null, addIns: [],
    api: { acceptMappedClaims: null, knownClientApplications: [], requestedAccessTokenVersion: null, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
    appRoles: [], info: emptyInfo(), keyCredentials: [],
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    passwordCredentials: [], publicClient: { redirectUris: [] }, requiredResourceAccess: [], verifiedPublisher: emptyPublisher(),
    web: { homePageUrl: null, logoutUrl: null, redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false }, redirectUriSettings: [] },
    spa: { redirectUris: [] },
  };
}

/** A service principal for an application, copying what Entra copies from the app at creation. */
export function defaultServicePrincipal(id: string, app: GraphObject, ownerTenantId: string): GraphObject {
  const api = (app.api ?? {}) as { oauth2PermissionScopes?: unknown[] };
  return {
    id, deletedDateTime: null, accountEnabled: true, alternativeNames: [], appDisplayName: app.displayName ?? null, appDescription: app.description ?? null,
    appId: app.appId, applicationTemplateId: null, appOwnerOrganizationId: ownerTenantId, appRoleAssignmentRequired: false,
    description: null, disabledByMicrosoftStatus: null, displayName: app.displayName ?? null, homepage: null, loginUrl: null, logoutUrl: null,
    notes: null, notificationEmailAddresses: [], preferredSingleSignOnMode: null, preferredTokenSigningKeyThumbprint: null, replyUrls: [],
    servicePrincipalNames: [app.appId, ...((app.identifierUris as string[] | undefined) ?? [])], servicePrincipalType: 'Application',
    signInAudience: app.signInAudience ?? 'AzureADMyOrg', tags: [], tokenEncryptionKeyId: null, samlSingleSignOnSettings: null, addIns: [],
    appRoles: structuredClone(app.appRoles ?? []), info: structuredClone(app.info ?? emptyInfo()), keyCredentials: [],
    oauth2PermissionScopes: structuredClone(api.oauth2PermissionScopes ?? []), passwordCredentials: [], resourceSpecificApplicationPermissions: [],
    verifiedPublisher: emptyPublisher(),
  };
}

export function emptyVault(): VaultState {
  return { secrets: {}, deleted: {}, roleAssignments: [] };
}
