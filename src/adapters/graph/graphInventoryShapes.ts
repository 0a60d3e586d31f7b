import type { AppRecord, CredentialRecord, ResourceApi } from '../../domain/inspection';

/** The application properties an inspection reads, and nothing else ($select keeps answers small). */
export const APP_SELECT = 'id,appId,displayName,createdDateTime,tags,requiredResourceAccess,web,publicClient,api,passwordCredentials,keyCredentials';
/** A service principal read as an app, for enterprise apps registered in another tenant. */
export const ENTERPRISE_SELECT = 'id,appId,displayName,tags,appOwnerOrganizationId,passwordCredentials,keyCredentials';
export const RESOURCE_SELECT = 'id,appId,displayName,appRoles,oauth2PermissionScopes';

interface RawCredential {
  keyId: string;
  displayName?: string | null;
  hint?: string | null;
  type?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface RawApplication {
  id: string;
  appId: string;
  displayName?: string | null;
  createdDateTime?: string | null;
  tags?: string[] | null;
  requiredResourceAccess?: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[] | null;
  web?: { redirectUris?: string[] | null } | null;
  publicClient?: { redirectUris?: string[] | null } | null;
  api?: { requestedAccessTokenVersion?: number | null } | null;
  passwordCredentials?: RawCredential[] | null;
  keyCredentials?: RawCredential[] | null;
}

export interface RawServicePrincipal {
  id: string;
  appId: string;
  displayName?: string | null;
  tags?: string[] | null;
  appOwnerOrganizationId?: string | null;
  passwordCredentials?: RawCredential[] | null;
  keyCredentials?: RawCredential[] | null;
  appRoles?: { id: string; value: string | null }[] | null;
  oauth2PermissionScopes?: { id: string; value: string | null; type?: string | null }[] | null;
}

// Only these fields are copied: whatever else Graph sends (a secretText, a certificate's key) never leaves the adapter.
const credential = (c: RawCredential, withHint: boolean): CredentialRecord => ({
  keyId: c.keyId, displayName: c.displayName ?? null, ...(withHint ? { hint: c.hint ?? null } : { type: c.type ?? null }),
  startDateTime: c.startDateTime ?? null, endDateTime: c.endDateTime ?? null,
});

export function toAppRecord(raw: RawApplication): AppRecord {
  return {
    id: raw.id, appId: raw.appId, displayName: raw.displayName ?? '(no name)', createdDateTime: raw.createdDateTime ?? null, tags: raw.tags ?? [],
    requiredResourceAccess: (raw.requiredResourceAccess ?? []).map((r) => ({ resourceAppId: r.resourceAppId, resourceAccess: (r.resourceAccess ?? []).map((a) => ({ id: a.id, type: a.type })) })),
    webRedirectUris: raw.web?.redirectUris ?? [], publicClientRedirectUris: raw.publicClient?.redirectUris ?? [],
    requestedAccessTokenVersion: raw.api?.requestedAccessTokenVersion ?? null,
    passwords: (raw.passwordCredentials ?? []).map((c) => credential(c, true)),
    certificates: (raw.keyCredentials ?? []).map((c) => credential(c, false)),
  };
}

export function toEnterpriseRecord(raw: RawServicePrincipal): AppRecord {
  return {
    kind: 'enterprise', publisherTenantId: raw.appOwnerOrganizationId ?? null,
    id: raw.id, appId: raw.appId, displayName: raw.displayName ?? '(no name)', createdDateTime: null, tags: raw.tags ?? [],
    requiredResourceAccess: [], webRedirectUris: [], publicClientRedirectUris: [], requestedAccessTokenVersion: null,
    passwords: (raw.passwordCredentials ?? []).map((c) => credential(c, true)),
    certificates: (raw.keyCredentials ?? []).map((c) => credential(c, false)),
  };
}

export function toResourceApi(raw: RawServicePrincipal): ResourceApi {
  return {
    id: raw.id, appId: raw.appId, displayName: raw.displayName ?? raw.appId,
    appRoles: (raw.appRoles ?? []).filter((r) => r.value).map((r) => ({ id: r.id, value: r.value! })),
    scopes: (raw.oauth2PermissionScopes ?? []).filter((s) => s.value).map((s) => ({ id: s.id, value: s.value!, type: s.type ?? null })),
  };
}

/** An OData string literal inside a URL: quotes doubled, then percent-encoded. */
export const literal = (value: string) => `'${encodeURIComponent(value.replace(/'/g, "''"))}'`;

/** Graph accepts at most 15 values in one `in (…)` filter. */
export function chunks<T>(items: T[], size = 15): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
