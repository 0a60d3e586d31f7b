import { badRequest, denied } from '../errors';
import type { Reply } from '../http';
import { defaultServicePrincipal, type GraphObject, type StoredObject } from '../model';
import { addPassword, createServicePrincipal, deleteServicePrincipal, findApplication, isVisible, removePassword } from '../tenant';
import { bodyObject } from './applications';
import { canRead, hasAny, owns, requireWrite, ROLES, type GraphCall, type GraphRoute } from './context';
import { ADDRESS, addressOf, directoryObject, lookupServicePrincipal } from './lookup';
import { collectionReply, entityReply, type EntitySet } from './odata';

export const SERVICE_PRINCIPALS: EntitySet = { context: 'servicePrincipals', type: 'servicePrincipal', properties: new Set(Object.keys(defaultServicePrincipal('', { appId: '' }, ''))) };
const OWNERS: EntitySet = { context: 'directoryObjects', type: 'directoryObject', properties: new Set(['id', 'deletedDateTime', 'displayName', 'appId', 'userPrincipalName']) };

export function readableServicePrincipal(call: GraphCall): StoredObject {
  const sp = lookupServicePrincipal(call, addressOf(call.params));
  if (!canRead(call.caller, sp)) throw denied();
  return sp;
}

function list(call: GraphCall, countSegment = false): Reply {
  const caller = call.caller;
  if (!hasAny(caller, ROLES.readApps) && !caller.roles.has(ROLES.ownedBy)) throw denied();
  const now = call.core.now();
  const items = Object.values(call.core.state.servicePrincipals).filter((sp) => isVisible(sp, now) && canRead(caller, sp)).map((sp) => sp.data);
  return collectionReply(call, SERVICE_PRINCIPALS, items, { countSegment });
}

function create(call: GraphCall): Reply {
  const caller = call.caller;
  if (!hasAny(caller, ROLES.writeAllApps) && !caller.roles.has(ROLES.ownedBy)) throw denied();
  const body = bodyObject(call);
  const now = call.core.now();
  const app = typeof body.appId === 'string' ? findApplication(call.core.state, { by: 'appId', value: body.appId }) : undefined;
  const lagRule = app?.meta.lagRule;
  if (app && lagRule && !isVisible(app, now)) call.core.countLag(lagRule);
  // With OwnedBy alone, a service principal can be made only for an application the caller owns.
  if (app && isVisible(app, now) && !hasAny(caller, ROLES.writeAllApps) && !owns(caller, app)) throw denied();
  const sp = createServicePrincipal(call.core.state, body, { ownerIds: caller.roles.has(ROLES.ownedBy) ? [caller.servicePrincipalId] : [], now });
  const lag = call.core.lagFor(call.req.method, call.req.path);
  if (lag) Object.assign(sp.meta, { visibleAt: now + lag.ms, lagRule: lag.ruleId });
  call.core.changed();
  return entityReply(call, SERVICE_PRINCIPALS, sp.data, 201);
}

const WRITABLE = new Set(['accountEnabled', 'appRoleAssignmentRequired', 'description', 'homepage', 'loginUrl', 'logoutUrl', 'notes', 'notificationEmailAddresses', 'preferredSingleSignOnMode', 'replyUrls', 'tags', 'displayName', 'keyCredentials']);

function patch(call: GraphCall): Reply {
  const sp = lookupServicePrincipal(call, addressOf(call.params));
  requireWrite(call.caller, sp);
  for (const [key, value] of Object.entries(bodyObject(call))) {
    if (key.includes('@')) continue;
    if (!WRITABLE.has(key)) throw badRequest(`Property '${key}' is read-only and cannot be set.`);
    sp.data[key] = structuredClone(value);
  }
  call.core.changed();
  return { status: 204 };
}

function remove(call: GraphCall): Reply {
  const sp = lookupServicePrincipal(call, addressOf(call.params));
  requireWrite(call.caller, sp);
  deleteServicePrincipal(call.core.state, sp.data.id as string);
  call.core.changed();
  return { status: 204 };
}

function addPasswordAction(call: GraphCall): Reply {
  const sp = lookupServicePrincipal(call, addressOf(call.params));
  requireWrite(call.caller, sp);
  const credential = addPassword(sp, (bodyObject(call).passwordCredential ?? {}) as Record<string, string>, call.core.now());
  call.core.changed();
  return { status: 200, json: { '@odata.context': `${call.req.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...credential } };
}

function removePasswordAction(call: GraphCall): Reply {
  const sp = lookupServicePrincipal(call, addressOf(call.params));
  requireWrite(call.caller, sp);
  const keyId = bodyObject(call).keyId;
  if (typeof keyId !== 'string') throw badRequest('Required property \'keyId\' is missing.');
  removePassword(sp, keyId);
  call.core.changed();
  return { status: 204 };
}

function owners(call: GraphCall): Reply {
  const sp = readableServicePrincipal(call);
  return collectionReply(call, OWNERS, sp.meta.ownerIds.map((id) => directoryObject(call, id)).filter((o): o is GraphObject => !!o));
}

const sp = (tail: string) => new RegExp(`^/servicePrincipals${ADDRESS}${tail}$`, 'i');
export const spPattern = sp;

export const servicePrincipalRoutes: GraphRoute[] = [
  { method: 'GET', pattern: /^\/servicePrincipals$/i, operation: '/servicePrincipals', handler: (call) => list(call) },
  { method: 'GET', pattern: /^\/servicePrincipals\/\$count$/i, handler: (call) => list(call, true) },
  { method: 'POST', pattern: /^\/servicePrincipals$/i, operation: '/servicePrincipals', handler: create },
  { method: 'POST', pattern: sp('/(?:microsoft\\.graph\\.)?addPassword'), operation: '/servicePrincipals/{servicePrincipal-id}/microsoft.graph.addPassword', handler: addPasswordAction },
  { method: 'POST', pattern: sp('/(?:microsoft\\.graph\\.)?removePassword'), operation: '/servicePrincipals/{servicePrincipal-id}/microsoft.graph.removePassword', handler: removePasswordAction },
  { method: 'GET', pattern: sp('/owners'), handler: owners },
  { method: 'GET', pattern: sp(''), operation: '/servicePrincipals/{servicePrincipal-id}', handler: (call) => entityReply(call, SERVICE_PRINCIPALS, readableServicePrincipal(call).data) },
  { method: 'PATCH', pattern: sp(''), operation: '/servicePrincipals/{servicePrincipal-id}', handler: patch },
  { method: 'DELETE', pattern: sp(''), operation: '/servicePrincipals/{servicePrincipal-id}', handler: remove },
];
