import { MICROSOFT_GRAPH_APP_ID, MICROSOFT_GRAPH_NAME, permissionCatalog, riskOf, type PermissionType, type RiskTier } from './catalog/permissions';
import { editDistance } from './text';

/**
 * What an app registration may do, compared with what it asked for and with what it should be (its Onboard
 * request or its vendor's recipe). Pure: the directory is read elsewhere and handed in as an AppSnapshot.
 */

export interface CredentialRecord {
  keyId: string;
  displayName: string | null;
  /** First characters of a secret, as Graph reports them; never the value. */
  hint?: string | null;
  type?: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
}

export interface AppRecord {
  /**
   * `enterprise`: only a service principal exists here, the registration lives in its publisher's tenant, so
   * what it requests is not known here; `id` is then the service principal's object id.
   */
  kind?: 'registration' | 'enterprise';
  publisherTenantId?: string | null;
  id: string;
  appId: string;
  displayName: string;
  createdDateTime: string | null;
  tags: string[];
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
  webRedirectUris: string[];
  publicClientRedirectUris: string[];
  requestedAccessTokenVersion: number | null;
  passwords: CredentialRecord[];
  certificates: CredentialRecord[];
}

/** An API's service principal in this tenant, with the ids of its roles and scopes. */
export interface ResourceApi {
  id: string;
  appId: string;
  displayName: string;
  appRoles: { id: string; value: string }[];
  scopes: { id: string; value: string; type?: string | null }[];
}

export interface AppSnapshot {
  app: AppRecord;
  owners: { id: string; displayName: string }[];
  /** Absent when the app has no service principal here: then nothing can have been granted to it. */
  servicePrincipalId?: string;
  assignments: { resourceId: string; appRoleId: string }[];
  grants: { resourceId: string; consentType: string; principalId: string | null; scope: string }[];
  /** Every resource the app names or holds grants on that has a service principal here (Microsoft Graph's roles come from the catalogue). */
  resources: ResourceApi[];
}

export type Granted = 'admin' | 'per-user' | 'no';

export interface PermissionRow {
  resourceAppId: string;
  /** "Microsoft Graph", another API's name, or its appId when this tenant does not know it. */
  resource: string;
  resourceKnown: boolean;
  name: string;
  /** The role or scope id; for a scope known only by its value, the value. */
  id: string;
  type: PermissionType;
  requested: boolean;
  granted: Granted;
  /** People who consented for themselves (delegated grants with consentType Principal). */
  perUserCount: number;
  adminConsentRequired: boolean | null;
  risk: RiskTier | 'unknown';
}

export const permissionKey = (resourceAppId: string, type: PermissionType, nameOrId: string) => `${resourceAppId.toLowerCase()}|${type}|${nameOrId.toLowerCase()}`;
export const rowKey = (row: Pick<PermissionRow, 'resourceAppId' | 'type' | 'name'>) => permissionKey(row.resourceAppId, row.type, row.name);

const isGraph = (appId: string) => appId.toLowerCase() === MICROSOFT_GRAPH_APP_ID;

interface Resolved {
  name: string;
  id: string;
  known: boolean;
  adminConsentRequired: boolean | null;
}

/** A role or scope, by id or by value, named from the catalogue (Graph) or the API's own service principal. */
function resolve(resource: ResourceApi | undefined, resourceAppId: string, type: PermissionType, by: { id?: string; value?: string }): Resolved {
  if (isGraph(resourceAppId)) {
    const p = by.id ? permissionCatalog.byId(by.id, type) : permissionCatalog.find(by.value ?? '', type);
    if (p) return { name: p.name, id: p.id, known: true, adminConsentRequired: p.adminConsentRequired };
  } else if (resource) {
    const list = type === 'Application' ? resource.appRoles : resource.scopes;
    const found = list.find((p) => (by.id ? p.id.toLowerCase() === by.id.toLowerCase() : p.value.toLowerCase() === (by.value ?? '').toLowerCase()));
    if (found) {
      const scopeType = (found as { type?: string | null }).type;
      return { name: found.value, id: found.id, known: true, adminConsentRequired: type === 'Application' ? true : scopeType ? scopeType === 'Admin' : null };
    }
  }
  const raw = by.value ?? by.id ?? '';
  return { name: raw, id: by.id ?? raw, known: false, adminConsentRequired: type === 'Application' ? true : null };
}

/** Requested (requiredResourceAccess) against granted (app role assignments, delegated grants), one row per permission. */
export function permissionRows(snapshot: AppSnapshot): PermissionRow[] {
  const byAppId = new Map(snapshot.resources.map((r) => [r.appId.toLowerCase(), r]));
  const bySpId = new Map(snapshot.resources.map((r) => [r.id.toLowerCase(), r]));
  const rows = new Map<string, PermissionRow>();
  const row = (resourceAppId: string, type: PermissionType, by: { id?: string; value?: string }): PermissionRow => {
    const resource = byAppId.get(resourceAppId.toLowerCase());
    const resolved = resolve(resource, resourceAppId, type, by);
    const key = permissionKey(resourceAppId, type, resolved.name);
    let found = rows.get(key);
    if (!found) {
      const resourceName = isGraph(resourceAppId) ? MICROSOFT_GRAPH_NAME : resource?.displayName ?? resourceAppId;
      const adminConsentRequired = resolved.adminConsentRequired;
      const risk = adminConsentRequired === null || (!resolved.known && !isGraph(resourceAppId) && !resource) ? 'unknown' : riskOf({ name: resolved.name, type, adminConsentRequired });
      found = { resourceAppId, resource: resourceName, resourceKnown: isGraph(resourceAppId) || !!resource, name: resolved.name, id: resolved.id, type, requested: false, granted: 'no', perUserCount: 0, adminConsentRequired, risk };
      rows.set(key, found);
    }
    return found;
  };
  for (const entry of snapshot.app.requiredResourceAccess) {
    for (const access of entry.resourceAccess) row(entry.resourceAppId, access.type === 'Role' ? 'Application' : 'Delegated', { id: access.id }).requested = true;
  }
  for (const assignment of snapshot.assignments) {
    const resource = bySpId.get(assignment.resourceId.toLowerCase());
    row(resource?.appId ?? assignment.resourceId, 'Application', { id: assignment.appRoleId }).granted = 'admin';
  }
  const perUser = new Map<string, Set<string>>();
  for (const grant of snapshot.grants) {
    const resource = bySpId.get(grant.resourceId.toLowerCase());
    for (const value of grant.scope.split(/\s+/).filter(Boolean)) {
      const r = row(resource?.appId ?? grant.resourceId, 'Delegated', { value });
      if (grant.consentType === 'AllPrincipals') r.granted = 'admin';
      else if (grant.principalId) {
        const key = rowKey(r);
        perUser.set(key, (perUser.get(key) ?? new Set()).add(grant.principalId));
      }
    }
  }
  for (const r of rows.values()) {
    r.perUserCount = perUser.get(rowKey(r))?.size ?? 0;
    if (r.granted === 'no' && r.perUserCount > 0) r.granted = 'per-user';
  }
  return [...rows.values()].sort((a, b) => Number(isGraph(b.resourceAppId)) - Number(isGraph(a.resourceAppId)) || a.resource.localeCompare(b.resource) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

export type CredentialState = 'expired' | 'expiring' | 'ok';

export interface CredentialStatus {
  kind: 'secret' | 'certificate';
  keyId: string;
  name: string;
  hint: string;
  start: string | null;
  end: string | null;
  state: CredentialState;
  /** Whole days from now to the end; negative once expired. */
  daysLeft: number | null;
}

const DAY = 86_400_000;

export function credentialStatus(kind: CredentialStatus['kind'], c: CredentialRecord, now: Date, soonDays: number): CredentialStatus {
  const end = c.endDateTime ? Date.parse(c.endDateTime) : NaN;
  const msLeft = end - now.getTime();
  const daysLeft = Number.isFinite(msLeft) ? Math.floor(msLeft / DAY) : null;
  const state: CredentialState = daysLeft === null ? 'ok' : msLeft <= 0 ? 'expired' : msLeft <= soonDays * DAY ? 'expiring' : 'ok';
  return { kind, keyId: c.keyId, name: c.displayName ?? (kind === 'secret' ? 'unnamed secret' : 'unnamed certificate'), hint: kind === 'secret' && c.hint ? `${c.hint}…` : '', start: c.startDateTime, end: c.endDateTime, state, daysLeft };
}

export function credentials(app: Pick<AppRecord, 'passwords' | 'certificates'>, now: Date, soonDays: number): CredentialStatus[] {
  return [...app.passwords.map((p) => credentialStatus('secret', p, now, soonDays)), ...app.certificates.map((c) => credentialStatus('certificate', c, now, soonDays))]
    .sort((a, b) => (a.end ?? '9999').localeCompare(b.end ?? '9999'));
}

/**
 * The request id in an app's `onboard:request:<id>` tag. A display hint only: anyone who can register an app can
 * write this tag, so "which request made this app" is answered by the request store (RequestStore.findByApplication).
 */
export function taggedRequestId(app: Pick<AppRecord, 'tags'>): string | undefined {
  return app.tags.map((t) => /^onboard:request:([A-Za-z0-9-]{1,40})$/.exec(t)?.[1]).find(Boolean);
}

/** Whether the app carries Onboard's `onboard` tag: a hint for listings, never authority (see taggedRequestId). */
export const isTaggedOnboard = (app: Pick<AppRecord, 'tags'>) => app.tags.some((t) => t.toLowerCase() === 'onboard');

/** Names close to what was typed: a near miss of the whole name, or of its beginning ("payrol" → "Payroll Sync (legacy)"). */
export function suggestNames(typed: string, names: readonly string[], limit = 3): string[] {
  const want = typed.toLowerCase().trim();
  if (!want) return [];
  const allowed = Math.max(2, Math.floor(want.length / 3));
  const typedWords = want.split(/\s+/);
  const scored = [...new Set(names)].map((name) => {
    const lower = name.toLowerCase();
    const words = lower.split(/[\s()\-_.]+/).filter(Boolean);
    const byWords = words.length ? typedWords.reduce((sum, t) => sum + Math.min(...words.map((w) => editDistance(t, w, allowed + 1))), 0) : allowed + 1;
    const distance = Math.min(editDistance(want, lower, allowed + 1), editDistance(want, lower.slice(0, want.length), allowed + 1), byWords);
    return { name, distance: lower.includes(want) ? 0 : distance };
  });
  return scored.filter((s) => s.distance <= allowed).sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name)).slice(0, limit).map((s) => s.name);
}
