import { X509Certificate, createHash } from 'node:crypto';
import { GraphError, badRequest, notFound } from './errors';
import { checkEntitlements } from './entitlementRules';
import { isAllowedIdentifierUri } from './identifierUris';
import { assignmentId, grantId, hashSecret, newClientSecret, newGuid, secretHint } from './ids';
import { defaultApplication, defaultServicePrincipal, type GraphObject, type KeyCredential, type PasswordCredential, type StoredObject, type TenantState } from './model';

/**
 * Directory operations shared by the Graph handlers, the seed and the test helpers. They enforce the rules Entra
 * enforces whoever calls (uniqueness, identifierUris, backing applications); who may call is graph/authorization.ts.
 */

export const isVisible = (o: StoredObject | undefined, now: number): o is StoredObject => !!o && (o.meta.visibleAt === undefined || o.meta.visibleAt <= now);

export function findApplication(state: TenantState, key: { by: 'id' | 'appId' | 'uniqueName'; value: string }): StoredObject | undefined {
  if (key.by === 'id') return state.applications[key.value];
  const lower = key.value.toLowerCase();
  for (const app of Object.values(state.applications)) {
    const v = app.data[key.by];
    if (typeof v === 'string' && v.toLowerCase() === lower) return app;
  }
  return undefined;
}

export function findServicePrincipalByAppId(state: TenantState, appId: string): StoredObject | undefined {
  const lower = appId.toLowerCase();
  return Object.values(state.servicePrincipals).find((sp) => String(sp.data.appId).toLowerCase() === lower);
}

/** Graph answers a clash on a unique property with 400 Request_BadRequest, not 409 (as real tenants do for identifierUris and uniqueName). */
const sameValue = (property: string) => badRequest(`Another object with the same value for property ${property} already exists.`);

function checkIdentifierUris(state: TenantState, uris: unknown, appId: string, selfId: string): void {
  if (!Array.isArray(uris)) return;
  const tenant = state.tenant;
  for (const uri of uris as string[]) {
    const lower = uri.toLowerCase();
    if (!isAllowedIdentifierUri(uri, { appId, tenantId: tenant.id, verifiedDomains: tenant.verifiedDomains })) {
      throw badRequest(`Values of identifierUris property must use a verified domain of the organization or its subdomain: '${uri}'`, 'HostNameNotOnVerifiedDomain');
    }
    const clash = Object.values(state.applications).find((a) => a.data.id !== selfId && ((a.data.identifierUris as string[]) ?? []).some((u) => u.toLowerCase() === lower));
    if (clash) throw sameValue('identifierUris');
  }
}

function checkUniqueName(state: TenantState, uniqueName: unknown, selfId: string): void {
  if (typeof uniqueName !== 'string') return;
  const clash = findApplication(state, { by: 'uniqueName', value: uniqueName });
  if (clash && clash.data.id !== selfId) throw sameValue('uniqueName');
  // A soft-deleted application keeps its uniqueName until it is restored or gone for good.
  const lower = uniqueName.toLowerCase();
  const deleted = Object.values(liveDeletedApplications(state, Date.now())).some((a) => String(a.data.uniqueName ?? '').toLowerCase() === lower);
  if (deleted) throw sameValue('uniqueName');
}

/** Entra keeps a deleted application for 30 days (https://learn.microsoft.com/graph/api/resources/directory). */
export const DELETED_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** The soft-deleted applications still within their 30 days; older ones are dropped here, as Entra drops them. */
export function liveDeletedApplications(state: TenantState, now: number): Record<string, StoredObject> {
  const deleted = state.deletedApplications ?? {};
  for (const [id, app] of Object.entries(deleted)) {
    if (Date.parse(String(app.data.deletedDateTime)) + DELETED_RETENTION_MS < now) delete deleted[id];
  }
  return deleted;
}

/** The soft-deleted service principals still within their 30 days. */
export function liveDeletedServicePrincipals(state: TenantState, now: number): Record<string, StoredObject> {
  const deleted = state.deletedServicePrincipals ?? {};
  for (const [id, sp] of Object.entries(deleted)) {
    if (Date.parse(String(sp.data.deletedDateTime)) + DELETED_RETENTION_MS < now) delete deleted[id];
  }
  return deleted;
}

/** keyCredentials arrive with the certificate in `key`; Entra derives the rest and never returns the key again. */
function normaliseKeyCredentials(input: unknown, meta: StoredObject['meta']): KeyCredential[] {
  const certificates: Record<string, string> = {};
  const out = ((input as Partial<KeyCredential>[]) ?? []).map((k) => {
    const keyId = k.keyId ?? newGuid();
    const der = k.key ?? meta.certificates?.[keyId];
    if (!der) throw badRequest('Invalid value specified for property \'key\' of resource \'KeyCredential\'.');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(der, 'base64'));
    } catch {
      throw badRequest('Invalid value specified for property \'key\' of resource \'KeyCredential\'.');
    }
    certificates[keyId] = der;
    return {
      customKeyIdentifier: k.customKeyIdentifier ?? createHash('sha1').update(cert.raw).digest('base64'),
      displayName: k.displayName ?? `CN=${cert.subject.replace(/^CN=/, '')}`,
      endDateTime: new Date(cert.validTo).toISOString(), key: null, keyId,
      startDateTime: new Date(cert.validFrom).toISOString(), type: k.type ?? 'AsymmetricX509Cert', usage: k.usage ?? 'Verify',
    };
  });
  meta.certificates = certificates;
  return out;
}

/** Applies a create or PATCH body to an application, with the checks Entra makes on those properties. */
export function applyApplicationBody(state: TenantState, app: StoredObject, body: GraphObject, creating: boolean): void {
  const id = app.data.id as string;
  const appId = app.data.appId as string;
  if ('passwordCredentials' in body && ((body.passwordCredentials as unknown[]) ?? []).length > 0) {
    throw badRequest('Property \'passwordCredentials\' is read-only and cannot be set. Use addPassword to add a secret.');
  }
  for (const readOnly of ['id', 'appId', 'createdDateTime', 'publisherDomain', 'deletedDateTime']) {
    if (readOnly in body && body[readOnly] !== app.data[readOnly]) throw badRequest(`Property '${readOnly}' is read-only and cannot be set.`);
  }
  if ('uniqueName' in body) {
    if (!creating && app.data.uniqueName && body.uniqueName !== app.data.uniqueName) throw badRequest('Property \'uniqueName\' is immutable once set.');
    checkUniqueName(state, body.uniqueName, id);
  }
  if ('identifierUris' in body) checkIdentifierUris(state, body.identifierUris, appId, id);
  if (!creating) {
    checkEntitlements(app.data.appRoles, body.appRoles);
    const api = body.api as { oauth2PermissionScopes?: unknown } | undefined;
    checkEntitlements((app.data.api as { oauth2PermissionScopes?: unknown })?.oauth2PermissionScopes, api?.oauth2PermissionScopes);
  }
  for (const [key, value] of Object.entries(body)) {
    if (key.includes('@') || key === 'passwordCredentials') continue;
    if (key === 'keyCredentials') {
      app.data.keyCredentials = normaliseKeyCredentials(value, app.meta);
      continue;
    }
    const current = app.data[key];
    // Complex properties merge like Graph's PATCH: the given sub-properties replace, the others stay.
    app.data[key] = current && value && typeof current === 'object' && typeof value === 'object' && !Array.isArray(value)
      ? { ...(current as object), ...(value as object) } : structuredClone(value);
  }
  // A new app has no service principal yet; skipping the search keeps bulk seeding linear.
  if (!creating) syncServicePrincipal(state, app);
}

/** Entra keeps an app's service principal in step with the app's display name, roles and scopes. */
function syncServicePrincipal(state: TenantState, app: StoredObject): void {
  const sp = findServicePrincipalByAppId(state, app.data.appId as string);
  if (!sp) return;
  sp.data.displayName = app.data.displayName;
  sp.data.appDisplayName = app.data.displayName;
  sp.data.appRoles = structuredClone(app.data.appRoles ?? []);
  sp.data.oauth2PermissionScopes = structuredClone((app.data.api as { oauth2PermissionScopes?: unknown[] })?.oauth2PermissionScopes ?? []);
  sp.data.servicePrincipalNames = [app.data.appId, ...((app.data.identifierUris as string[]) ?? [])];
}

export function createApplication(state: TenantState, body: GraphObject, options: { ownerIds: string[]; now: number; appId?: string; id?: string }): StoredObject {
  if (typeof body.displayName !== 'string' || body.displayName.trim() === '') throw badRequest('Required property \'displayName\' is missing or empty.');
  const id = options.id ?? newGuid();
  const appId = options.appId ?? newGuid();
  const app: StoredObject = { data: defaultApplication(id, appId, state.tenant.initialDomain, new Date(options.now).toISOString()), meta: { ownerIds: [...options.ownerIds], secretHashes: {} } };
  applyApplicationBody(state, app, body, true);
  state.applications[id] = app;
  return app;
}

export function addPassword(target: StoredObject, input: { displayName?: string | null; startDateTime?: string | null; endDateTime?: string | null }, now: number, secret = newClientSecret()): PasswordCredential {
  const start = input.startDateTime ? new Date(input.startDateTime) : new Date(now);
  // Entra's default lifetime for a secret added without an end date is two years.
  const end = input.endDateTime ? new Date(input.endDateTime) : new Date(start.getTime() + 2 * 365 * 24 * 3600 * 1000);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) throw badRequest('Invalid value specified for property \'endDateTime\' of resource \'PasswordCredential\'.');
  const credential: PasswordCredential = {
    customKeyIdentifier: null, displayName: input.displayName ?? null, endDateTime: end.toISOString(), hint: secretHint(secret),
    keyId: newGuid(), secretText: null, startDateTime: start.toISOString(),
  };
  (target.data.passwordCredentials as PasswordCredential[]).push(credential);
  target.meta.secretHashes = { ...target.meta.secretHashes, [credential.keyId]: hashSecret(secret) };
  return { ...credential, secretText: secret };
}

export function removePassword(target: StoredObject, keyId: string): void {
  const list = target.data.passwordCredentials as PasswordCredential[];
  const index = list.findIndex((p) => p.keyId === keyId);
  if (index < 0) throw badRequest(`No password credential found with keyId ${keyId}.`, 'Request_BadRequest');
  list.splice(index, 1);
  delete target.meta.secretHashes?.[keyId];
}

export function createServicePrincipal(state: TenantState, body: GraphObject, options: { ownerIds: string[]; now: number; id?: string }): StoredObject {
  const appId = body.appId;
  if (typeof appId !== 'string' || appId === '') throw badRequest('Required property \'appId\' is missing.');
  const app = findApplication(state, { by: 'appId', value: appId });
  if (!isVisible(app, options.now)) throw badRequest(`The appId '${appId}' of the service principal does not reference a valid application object.`);
  if (findServicePrincipalByAppId(state, appId)) {
    throw new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`);
  }
  const id = options.id ?? newGuid();
  const sp: StoredObject = { data: defaultServicePrincipal(id, app.data, state.tenant.id), meta: { ownerIds: [...options.ownerIds], secretHashes: {} } };
  for (const [key, value] of Object.entries(body)) if (key !== 'appId' && !key.includes('@')) sp.data[key] = structuredClone(value);
  state.servicePrincipals[id] = sp;
  return sp;
}

export function principalInfo(state: TenantState, principalId: string): { displayName: string | null; type: 'ServicePrincipal' | 'User' | 'Group' } | undefined {
  const sp = state.servicePrincipals[principalId];
  if (sp) return { displayName: (sp.data.displayName as string) ?? null, type: 'ServicePrincipal' };
  const user = state.users[principalId];
  if (user) return { displayName: user.displayName, type: 'User' };
  const group = state.groups[principalId];
  if (group) return { displayName: group.displayName, type: 'Group' };
  return undefined;
}

export function assignAppRole(state: TenantState, input: { principalId: string; resourceId: string; appRoleId: string }, now: number): GraphObject {
  const resource = state.servicePrincipals[input.resourceId];
  if (!isVisible(resource, now)) throw notFound(input.resourceId);
  const principal = principalInfo(state, input.principalId);
  if (!principal || (principal.type === 'ServicePrincipal' && !isVisible(state.servicePrincipals[input.principalId], now))) throw notFound(input.principalId);
  const roles = (resource.data.appRoles as { id: string }[]) ?? [];
  if (input.appRoleId !== '00000000-0000-0000-0000-000000000000' && !roles.some((r) => r.id === input.appRoleId)) {
    throw badRequest(`Permission being assigned was not found on application '${String(resource.data.appId)}'.`);
  }
  const duplicate = Object.values(state.appRoleAssignments).some((a) => a.principalId === input.principalId && a.resourceId === input.resourceId && a.appRoleId === input.appRoleId);
  if (duplicate) throw badRequest('Permission being assigned already exists on the object.');
  const assignment: GraphObject = {
    id: assignmentId(input.principalId), deletedDateTime: null, appRoleId: input.appRoleId, createdDateTime: new Date(now).toISOString(),
    principalDisplayName: principal.displayName, principalId: input.principalId, principalType: principal.type,
    resourceDisplayName: (resource.data.displayName as string) ?? null, resourceId: input.resourceId,
  };
  state.appRoleAssignments[assignment.id as string] = assignment;
  return assignment;
}

export function createGrant(state: TenantState, input: { clientId: string; consentType: string; principalId: string | null; resourceId: string; scope: string }, now: number): GraphObject {
  if (!isVisible(state.servicePrincipals[input.clientId], now)) throw notFound(input.clientId);
  if (!isVisible(state.servicePrincipals[input.resourceId], now)) throw notFound(input.resourceId);
  if (input.consentType === 'Principal' && !input.principalId) throw badRequest('Property \'principalId\' is required when consentType is Principal.');
  if (input.consentType === 'AllPrincipals' && input.principalId) throw badRequest('Property \'principalId\' must be null when consentType is AllPrincipals.');
  if (input.consentType !== 'Principal' && input.consentType !== 'AllPrincipals') throw badRequest(`Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant'.`);
  if (input.principalId && !state.users[input.principalId]) throw notFound(input.principalId);
  const id = grantId(input.clientId, input.resourceId, input.principalId);
  if (state.oauth2PermissionGrants[id]) throw new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', 'Permission entry already exists.');
  const grant: GraphObject = { id, clientId: input.clientId, consentType: input.consentType, principalId: input.principalId, resourceId: input.resourceId, scope: input.scope };
  state.oauth2PermissionGrants[id] = grant;
  return grant;
}

/**
 * Deleting an application soft-deletes it (restorable from `/directory/deletedItems` for 30 days) and takes its
 * service principal, and everything granted to or by it, with it; restoring the app does not bring those back
 * (https://learn.microsoft.com/graph/api/directory-deleteditems-restore).
 */
export function deleteApplication(state: TenantState, id: string, now = Date.now()): void {
  const app = state.applications[id];
  if (!app) return;
  delete state.applications[id];
  state.deletedApplications = { ...(state.deletedApplications ?? {}), [id]: { ...app, data: { ...app.data, deletedDateTime: new Date(now).toISOString() } } };
  // Deleting an application deletes its service principal too, into deleted items: "restoring an application doesn't
  // restore the associated service principal automatically. You must call this API to explicitly restore the deleted
  // service principal" (https://learn.microsoft.com/graph/api/directory-deleteditems-restore). Its grants and app role
  // assignments do not come back with it here: nothing documents that they do, so the local cloud does not promise it.
  const sp = findServicePrincipalByAppId(state, app.data.appId as string);
  if (sp) {
    deleteServicePrincipal(state, sp.data.id as string);
    state.deletedServicePrincipals = { ...(state.deletedServicePrincipals ?? {}), [sp.data.id as string]: { ...sp, data: { ...sp.data, deletedDateTime: new Date(now).toISOString() } } };
  }
}

export function deleteServicePrincipal(state: TenantState, id: string): void {
  delete state.servicePrincipals[id];
  for (const [key, a] of Object.entries(state.appRoleAssignments)) if (a.principalId === id || a.resourceId === id) delete state.appRoleAssignments[key];
  for (const [key, g] of Object.entries(state.oauth2PermissionGrants)) if (g.clientId === id || g.resourceId === id) delete state.oauth2PermissionGrants[key];
  state.vault.roleAssignments = state.vault.roleAssignments.filter((r) => r.principalId !== id);
}

/** Group ids the directory object belongs to, directly or through nested groups. */
export function transitiveGroupIds(state: TenantState, memberId: string): string[] {
  const found = new Set<string>();
  const queue = [memberId];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const group of Object.values(state.groups)) {
      if (group.memberIds.includes(current) && !found.has(group.id)) {
        found.add(group.id);
        queue.push(group.id);
      }
    }
  }
  return [...found];
}

/** Every member of a group, including members of nested groups (the nested groups themselves too). */
export function transitiveMemberIds(state: TenantState, groupId: string): string[] {
  const found = new Set<string>();
  const queue = [groupId];
  while (queue.length > 0) {
    const group = state.groups[queue.shift() as string];
    for (const id of group?.memberIds ?? []) {
      if (found.has(id)) continue;
      found.add(id);
      if (state.groups[id]) queue.push(id);
    }
  }
  return [...found];
}
