import { GraphError, badRequest, denied } from '../errors';
import type { Reply } from '../http';
import { defaultApplication, type GraphObject, type StoredObject } from '../model';
import { addPassword, applyApplicationBody, createApplication, deleteApplication, removePassword } from '../tenant';
import { canRead, hasAny, requireWrite, ROLES, type GraphCall, type GraphRoute } from './context';
import { ADDRESS, addressOf, directoryObject, lookupApplication, tryApplication, type Address } from './lookup';
import { collectionReply, entityReply, type EntitySet } from './odata';

const APPLICATIONS: EntitySet = { context: 'applications', type: 'application', properties: new Set(Object.keys(defaultApplication('', '', '', ''))) };
const OWNERS: EntitySet = { context: 'directoryObjects', type: 'directoryObject', properties: new Set(['id', 'deletedDateTime', 'displayName', 'appId', 'userPrincipalName']) };

const canCreate = (call: GraphCall) => hasAny(call.caller, [...ROLES.writeAllApps, ROLES.ownedBy]);

export function bodyObject(call: GraphCall): GraphObject {
  if (!call.body || typeof call.body !== 'object' || Array.isArray(call.body)) throw badRequest('The request body must be a JSON object.', 'BadRequest');
  return call.body as GraphObject;
}

function readable(call: GraphCall, address: Address): StoredObject {
  const app = lookupApplication(call, address);
  if (!canRead(call.caller, app)) throw denied();
  return app;
}

const ODATA_ID = /\/directoryObjects\/([^/?]+)$/i;

/** Graph returns a certificate's `key` only when a single app is read with $select=keyCredentials. */
function withCertificates(call: GraphCall, app: StoredObject): GraphObject {
  const select = (call.req.query.get('$select') ?? '').split(',').map((p) => p.trim());
  if (!select.includes('keyCredentials')) return app.data;
  const keyCredentials = (app.data.keyCredentials as { keyId: string }[]).map((k) => ({ ...k, key: app.meta.certificates?.[k.keyId] ?? null }));
  return { ...app.data, keyCredentials };
}

function create(call: GraphCall, body: GraphObject): StoredObject {
  if (!canCreate(call)) throw denied();
  // Entra makes an app-only creator with OwnedBy the new app's owner: that is what lets it manage the app later.
  const ownerIds = call.caller.roles.has(ROLES.ownedBy) ? [call.caller.servicePrincipalId] : [];
  // `owners@odata.bind` names more owners at creation, as Graph allows.
  const binds = body['owners@odata.bind'];
  if (binds !== undefined) {
    if (!Array.isArray(binds)) throw badRequest('Invalid value specified for property \'owners@odata.bind\'; expected an array of directoryObjects URLs.');
    for (const ref of binds) {
      const id = typeof ref === 'string' ? ODATA_ID.exec(ref)?.[1] : undefined;
      if (!id) throw badRequest(`Invalid value specified for property 'owners@odata.bind': '${String(ref)}'.`);
      if (!directoryObject(call, id)) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      if (!ownerIds.includes(id)) ownerIds.push(id);
    }
  }
  const now = call.core.now();
  const app = createApplication(call.core.state, body, { ownerIds, now });
  const lag = call.core.lagFor(call.req.method, call.req.path);
  if (lag) Object.assign(app.meta, { visibleAt: now + lag.ms, lagRule: lag.ruleId });
  call.core.changed();
  return app;
}

function list(call: GraphCall, countSegment = false): Reply {
  const caller = call.caller;
  if (!hasAny(caller, ROLES.readApps) && !caller.roles.has(ROLES.ownedBy)) throw denied();
  const now = call.core.now();
  const apps = Object.values(call.core.state.applications).filter((a) => (a.meta.visibleAt ?? 0) <= now && canRead(caller, a)).map((a) => a.data);
  return collectionReply(call, APPLICATIONS, apps, { countSegment });
}

function created(call: GraphCall, app: StoredObject): Reply {
  const reply = entityReply(call, APPLICATIONS, app.data, 201);
  reply.headers = { Location: `${call.req.origin}/v1.0/directoryObjects/${String(app.data.id)}/Microsoft.DirectoryServices.Application` };
  return reply;
}

function patch(call: GraphCall): Reply {
  const address = addressOf(call.params);
  const body = bodyObject(call);
  const prefer = (call.req.headers.prefer ?? '').toLowerCase();
  const app = address.by === 'uniqueName' && prefer.includes('create-if-missing') ? tryApplication(call, address) : lookupApplication(call, address);
  if (!app) {
    // Upsert: PATCH /applications(uniqueName='…') with Prefer: create-if-missing creates the app under that name.
    if (body.uniqueName !== undefined && body.uniqueName !== address.value) throw badRequest('The uniqueName in the body does not match the one in the URL.');
    return created(call, create(call, { ...body, uniqueName: address.value }));
  }
  requireWrite(call.caller, app);
  applyApplicationBody(call.core.state, app, body, false);
  call.core.changed();
  return { status: 204 };
}

function remove(call: GraphCall): Reply {
  const app = lookupApplication(call, addressOf(call.params));
  requireWrite(call.caller, app);
  deleteApplication(call.core.state, app.data.id as string, call.core.now());
  call.core.changed();
  return { status: 204 };
}

function addPasswordAction(call: GraphCall): Reply {
  const app = lookupApplication(call, addressOf(call.params));
  requireWrite(call.caller, app);
  const input = (bodyObject(call).passwordCredential ?? {}) as { displayName?: string; startDateTime?: string; endDateTime?: string };
  const credential = addPassword(app, input, call.core.now());
  call.core.changed();
  return { status: 200, json: { '@odata.context': `${call.req.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...credential } };
}

function removePasswordAction(call: GraphCall): Reply {
  const app = lookupApplication(call, addressOf(call.params));
  requireWrite(call.caller, app);
  const keyId = bodyObject(call).keyId;
  if (typeof keyId !== 'string') throw badRequest('Required property \'keyId\' is missing.');
  removePassword(app, keyId);
  call.core.changed();
  return { status: 204 };
}

function owners(call: GraphCall): Reply {
  const app = readable(call, addressOf(call.params));
  const items = app.meta.ownerIds.map((id) => directoryObject(call, id)).filter((o): o is GraphObject => !!o);
  return collectionReply(call, OWNERS, items);
}

function addOwner(call: GraphCall): Reply {
  const app = lookupApplication(call, addressOf(call.params));
  // "Application.ReadWrite.OwnedBy isn't sufficient to add another owner. Consent also to Application.ReadWrite.All."
  // https://learn.microsoft.com/graph/api/application-post-owners
  if (!hasAny(call.caller, ROLES.writeAllApps)) throw denied();
  const ref = bodyObject(call)['@odata.id'];
  const match = typeof ref === 'string' ? ODATA_ID.exec(ref) : null;
  if (!match) throw badRequest('Invalid value specified for property \'@odata.id\'; expected https://graph.microsoft.com/v1.0/directoryObjects/{id}.');
  if (!directoryObject(call, match[1])) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${match[1]}' does not exist or one of its queried reference-property objects are not present.`);
  if (app.meta.ownerIds.includes(match[1])) throw badRequest('One or more added object references already exist for the following modified properties: \'owners\'.');
  app.meta.ownerIds.push(match[1]);
  call.core.changed();
  return { status: 204 };
}

function removeOwner(call: GraphCall): Reply {
  const app = lookupApplication(call, addressOf(call.params));
  requireWrite(call.caller, app);
  const index = app.meta.ownerIds.indexOf(call.params.ownerId);
  if (index < 0) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${call.params.ownerId}' does not exist or one of its queried reference-property objects are not present.`);
  app.meta.ownerIds.splice(index, 1);
  call.core.changed();
  return { status: 204 };
}

const app = (tail: string) => new RegExp(`^/applications${ADDRESS}${tail}$`, 'i');

export const applicationRoutes: GraphRoute[] = [
  { method: 'GET', pattern: /^\/applications$/i, operation: '/applications', handler: (call) => list(call) },
  { method: 'GET', pattern: /^\/applications\/\$count$/i, handler: (call) => list(call, true) },
  { method: 'POST', pattern: /^\/applications$/i, operation: '/applications', handler: (call) => created(call, create(call, bodyObject(call))) },
  { method: 'GET', pattern: app('/(?:microsoft\\.graph\\.)?addPassword'), handler: () => { throw new GraphError(405, 'Request_BadRequest', 'The action addPassword only accepts POST.'); } },
  { method: 'POST', pattern: app('/(?:microsoft\\.graph\\.)?addPassword'), operation: '/applications/{application-id}/microsoft.graph.addPassword', handler: addPasswordAction },
  { method: 'POST', pattern: app('/(?:microsoft\\.graph\\.)?removePassword'), operation: '/applications/{application-id}/microsoft.graph.removePassword', handler: removePasswordAction },
  { method: 'GET', pattern: app('/owners'), handler: owners },
  { method: 'POST', pattern: app('/owners/\\$ref'), handler: addOwner },
  { method: 'DELETE', pattern: app('/owners/(?<ownerId>[^/]+)/\\$ref'), handler: removeOwner },
  { method: 'GET', pattern: app(''), operation: '/applications/{application-id}', handler: (call) => entityReply(call, APPLICATIONS, withCertificates(call, readable(call, addressOf(call.params)))) },
  { method: 'PATCH', pattern: app(''), operation: '/applications/{application-id}', handler: patch },
  { method: 'DELETE', pattern: app(''), operation: '/applications/{application-id}', handler: remove },
];

export { APPLICATIONS };
