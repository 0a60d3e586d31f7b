import { denied, notFound } from '../errors';
import type { Reply } from '../http';
import { liveDeletedApplications } from '../tenant';
import { APPLICATIONS } from './applications';
import { canRead, hasAny, requireWrite, ROLES, type GraphCall, type GraphRoute } from './context';
import { collectionReply, entityReply } from './odata';
import type { StoredObject } from '../model';

/**
 * Deleted applications (https://learn.microsoft.com/graph/api/resources/directory): listed, read, restored (not their
 * service principal) or deleted for good, with the permissions Microsoft documents: Application.Read.All to read,
 * Application.ReadWrite.OwnedBy (on an app the caller owned) or Application.ReadWrite.All to restore or delete.
 */
const DELETED = { ...APPLICATIONS, context: 'directory/deletedItems/microsoft.graph.application' };

function deletedApplication(call: GraphCall): StoredObject {
  const app = liveDeletedApplications(call.core.state, call.core.now())[call.params.objectId];
  if (!app) throw notFound(call.params.objectId);
  return app;
}

function readable(call: GraphCall): StoredObject {
  const app = deletedApplication(call);
  if (!canRead(call.caller, app)) throw denied();
  return app;
}

function restore(call: GraphCall): Reply {
  const app = deletedApplication(call);
  requireWrite(call.caller, app);
  const state = call.core.state;
  delete state.deletedApplications![call.params.objectId];
  const restored: StoredObject = { ...app, data: { ...app.data, deletedDateTime: null } };
  state.applications[call.params.objectId] = restored;
  call.core.changed();
  return entityReply(call, APPLICATIONS, { '@odata.type': '#microsoft.graph.application', ...restored.data });
}

function removeForGood(call: GraphCall): Reply {
  const app = deletedApplication(call);
  requireWrite(call.caller, app);
  delete call.core.state.deletedApplications![call.params.objectId];
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
  { method: 'GET', pattern: /^\/directory\/deletedItems\/(?<objectId>[0-9a-f-]{36})$/i, handler: (call) => entityReply(call, DELETED, { '@odata.type': '#microsoft.graph.application', ...readable(call).data }) },
  { method: 'POST', pattern: /^\/directory\/deletedItems\/(?<objectId>[0-9a-f-]{36})\/(?:microsoft\.graph\.)?restore$/i, handler: restore },
  { method: 'DELETE', pattern: /^\/directory\/deletedItems\/(?<objectId>[0-9a-f-]{36})$/i, handler: removeForGood },
];
