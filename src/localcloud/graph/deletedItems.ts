import { denied, notFound } from '../errors';
import type { Reply } from '../http';
import { liveDeletedApplications, liveDeletedServicePrincipals } from '../tenant';
import { APPLICATIONS } from './applications';
import { SERVICE_PRINCIPALS } from './servicePrincipals';
import { canRead, hasAny, requireWrite, ROLES, type GraphCall, type GraphRoute } from './context';
import { collectionReply, entityReply } from './odata';
import type { StoredObject } from '../model';

/**
 * Deleted applications (https://learn.microsoft.com/graph/api/resources/directory): listed, read, restored (each on its
 * own: an application's service principal is deleted with it, and restored only when asked) or deleted for good, with the permissions Microsoft documents: Application.Read.All to read,
 * Application.ReadWrite.OwnedBy (on an app the caller owned) or Application.ReadWrite.All to restore or delete.
 */
const DELETED = { ...APPLICATIONS, context: 'directory/deletedItems/microsoft.graph.application' };
const DELETED_SPS = { ...SERVICE_PRINCIPALS, context: 'directory/deletedItems/microsoft.graph.servicePrincipal' };

/** A deleted application or service principal (the same id space), within its 30 days. */
function deletedItem(call: GraphCall): { kind: 'application' | 'servicePrincipal'; item: StoredObject } {
  const now = call.core.now();
  const app = liveDeletedApplications(call.core.state, now)[call.params.objectId];
  if (app) return { kind: 'application', item: app };
  const sp = liveDeletedServicePrincipals(call.core.state, now)[call.params.objectId];
  if (sp) return { kind: 'servicePrincipal', item: sp };
  throw notFound(call.params.objectId);
}

function read(call: GraphCall): Reply {
  const { kind, item } = deletedItem(call);
  if (!canRead(call.caller, item)) throw denied();
  return entityReply(call, kind === 'application' ? DELETED : DELETED_SPS, { '@odata.type': `#microsoft.graph.${kind}`, ...item.data });
}

function restore(call: GraphCall): Reply {
  const { kind, item } = deletedItem(call);
  requireWrite(call.caller, item);
  const state = call.core.state;
  const restored: StoredObject = { ...item, data: { ...item.data, deletedDateTime: null } };
  if (kind === 'application') {
    delete state.deletedApplications![call.params.objectId];
    state.applications[call.params.objectId] = restored;
  } else {
    delete state.deletedServicePrincipals![call.params.objectId];
    state.servicePrincipals[call.params.objectId] = restored;
  }
  call.core.changed();
  return entityReply(call, kind === 'application' ? APPLICATIONS : SERVICE_PRINCIPALS, { '@odata.type': `#microsoft.graph.${kind}`, ...restored.data });
}

function removeForGood(call: GraphCall): Reply {
  const { kind, item } = deletedItem(call);
  requireWrite(call.caller, item);
  if (kind === 'application') delete call.core.state.deletedApplications![call.params.objectId];
  else delete call.core.state.deletedServicePrincipals![call.params.objectId];
  call.core.changed();
  return { status: 204 };
}

export const deletedItemRoutes: GraphRoute[] = [
  {
    method: 'GET', pattern: /^\/directory\/deletedItems\/(?:microsoft\.graph\.)application$/i, handler: (call) => {
      if (!hasAny(call.caller, ROLES.readApps) && !call.caller.roles.has(ROLES.ownedBy)) throw denied();
      const items = Object.values(liveDeletedApplications(call.core.state, call.core.now())).filter((a) => canRead(call.caller, a)).map((a) => a.data);
      return collectionReply(call, DELETED, items);
    },
  },
  {
    method: 'GET', pattern: /^\/directory\/deletedItems\/(?:microsoft\.graph\.)servicePrincipal$/i, handler: (call) => {
      if (!hasAny(call.caller, ROLES.readApps) && !call.caller.roles.has(ROLES.ownedBy)) throw denied();
      const items = Object.values(liveDeletedServicePrincipals(call.core.state, call.core.now())).filter((s) => canRead(call.caller, s)).map((s) => s.data);
      return collectionReply(call, DELETED_SPS, items);
    },
  },
  { method: 'GET', pattern: /^\/directory\/deletedItems\/(?<objectId>[0-9a-f-]{36})$/i, handler: read },
  { method: 'POST', pattern: /^\/directory\/deletedItems\/(?<objectId>[0-9a-f-]{36})\/(?:microsoft\.graph\.)?restore$/i, handler: restore },
  { method: 'DELETE', pattern: /^\/directory\/deletedItems\/(?<objectId>[0-9a-f-]{36})$/i, handler: removeForGood },
];
