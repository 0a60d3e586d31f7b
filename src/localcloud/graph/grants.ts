import { badRequest, GraphError, notFound } from '../errors';
import type { Reply } from '../http';
import type { GraphObject } from '../model';
import { assignAppRole, createGrant } from '../tenant';
import { bodyObject } from './applications';
import { requireAny, ROLES, type GraphCall, type GraphRoute } from './context';
import { addressOf, lookupServicePrincipal, visibleServicePrincipal } from './lookup';
import { collectionReply, entityReply, type EntitySet } from './odata';
import { readableServicePrincipal, spPattern } from './servicePrincipals';

const ASSIGNMENT_PROPERTIES = new Set(['id', 'deletedDateTime', 'appRoleId', 'createdDateTime', 'principalDisplayName', 'principalId', 'principalType', 'resourceDisplayName', 'resourceId']);
const GRANTS: EntitySet = { context: 'oauth2PermissionGrants', type: 'oAuth2PermissionGrant', properties: new Set(['id', 'clientId', 'consentType', 'principalId', 'resourceId', 'scope']) };

type Side = 'appRoleAssignedTo' | 'appRoleAssignments';
const sideKey = (side: Side) => (side === 'appRoleAssignedTo' ? 'resourceId' : 'principalId');
const assignmentSet = (id: string, side: Side): EntitySet => ({ context: `servicePrincipals('${id}')/${side}`, type: 'appRoleAssignment', properties: ASSIGNMENT_PROPERTIES });

function listAssignments(call: GraphCall, side: Side): Reply {
  requireAny(call.caller, ROLES.readAssignments);
  const sp = readableServicePrincipal(call);
  const id = sp.data.id as string;
  const items = Object.values(call.core.state.appRoleAssignments).filter((a) => a[sideKey(side)] === id);
  return collectionReply(call, assignmentSet(id, side), items);
}

function getAssignment(call: GraphCall, side: Side): Reply {
  requireAny(call.caller, ROLES.readAssignments);
  const sp = readableServicePrincipal(call);
  const assignment = call.core.state.appRoleAssignments[call.params.assignmentId];
  if (!assignment || assignment[sideKey(side)] !== sp.data.id) throw notFound(call.params.assignmentId);
  return entityReply(call, assignmentSet(sp.data.id as string, side), assignment);
}

function createAssignment(call: GraphCall, side: Side): Reply {
  requireAny(call.caller, ROLES.assignAppRoles);
  const sp = lookupServicePrincipal(call, addressOf(call.params));
  const body = bodyObject(call);
  const id = sp.data.id as string;
  const { principalId, resourceId, appRoleId } = body as Record<string, unknown>;
  for (const [name, value] of Object.entries({ principalId, resourceId, appRoleId })) {
    if (typeof value !== 'string' || value === '') throw badRequest(`Required property '${name}' is missing.`);
  }
  if (body[sideKey(side)] !== id) throw badRequest(`The ${sideKey(side)} in the request body must be the service principal in the URL ('${id}').`);
  const other = side === 'appRoleAssignedTo' ? (principalId as string) : (resourceId as string);
  if (call.core.state.servicePrincipals[other] && !visibleServicePrincipal(call, other)) throw notFound(other);
  const assignment = assignAppRole(call.core.state, { principalId: principalId as string, resourceId: resourceId as string, appRoleId: appRoleId as string }, call.core.now());
  call.core.changed();
  return entityReply(call, assignmentSet(id, side), assignment, 201);
}

function deleteAssignment(call: GraphCall, side: Side): Reply {
  requireAny(call.caller, ROLES.assignAppRoles);
  const sp = lookupServicePrincipal(call, addressOf(call.params));
  const assignment = call.core.state.appRoleAssignments[call.params.assignmentId];
  if (!assignment || assignment[sideKey(side)] !== sp.data.id) throw notFound(call.params.assignmentId);
  delete call.core.state.appRoleAssignments[call.params.assignmentId];
  call.core.changed();
  return { status: 204 };
}

function grant(call: GraphCall): GraphObject {
  const found = call.core.state.oauth2PermissionGrants[call.params.grantId];
  if (!found) throw notFound(call.params.grantId);
  return found;
}

function createGrantAction(call: GraphCall): Reply {
  requireAny(call.caller, ROLES.writeGrants);
  const body = bodyObject(call) as Record<string, unknown>;
  for (const name of ['clientId', 'consentType', 'resourceId']) if (typeof body[name] !== 'string' || body[name] === '') throw badRequest(`Required property '${name}' is missing.`);
  for (const id of [body.clientId as string, body.resourceId as string]) {
    if (!visibleServicePrincipal(call, id)) throw notFound(id);
  }
  const created = createGrant(call.core.state, {
    clientId: body.clientId as string, consentType: body.consentType as string, principalId: (body.principalId as string | null | undefined) ?? null,
    resourceId: body.resourceId as string, scope: typeof body.scope === 'string' ? body.scope : '',
  }, call.core.now());
  call.core.changed();
  return entityReply(call, GRANTS, created, 201);
}

function patchGrant(call: GraphCall): Reply {
  requireAny(call.caller, ROLES.writeGrants);
  const target = grant(call);
  for (const [key, value] of Object.entries(bodyObject(call))) {
    if (key.includes('@')) continue;
    if (key !== 'scope') throw badRequest(`Property '${key}' is read-only and cannot be set.`);
    if (typeof value !== 'string') throw new GraphError(400, 'Request_BadRequest', 'Invalid value specified for property \'scope\' of resource \'OAuth2PermissionGrant\'.');
    target.scope = value;
  }
  call.core.changed();
  return { status: 204 };
}

const assigned = (side: Side, tail = '') => spPattern(`/${side}${tail}`);

export const grantRoutes: GraphRoute[] = [
  ...(['appRoleAssignedTo', 'appRoleAssignments'] as Side[]).flatMap((side): GraphRoute[] => [
    { method: 'GET', pattern: assigned(side), operation: `/servicePrincipals/{servicePrincipal-id}/${side}`, handler: (call) => listAssignments(call, side) },
    { method: 'POST', pattern: assigned(side), operation: `/servicePrincipals/{servicePrincipal-id}/${side}`, handler: (call) => createAssignment(call, side) },
    { method: 'GET', pattern: assigned(side, '/(?<assignmentId>[^/]+)'), operation: `/servicePrincipals/{servicePrincipal-id}/${side}/{appRoleAssignment-id}`, handler: (call) => getAssignment(call, side) },
    { method: 'DELETE', pattern: assigned(side, '/(?<assignmentId>[^/]+)'), operation: `/servicePrincipals/{servicePrincipal-id}/${side}/{appRoleAssignment-id}`, handler: (call) => deleteAssignment(call, side) },
  ]),
  {
    method: 'GET', pattern: spPattern('/oauth2PermissionGrants'), handler: (call) => {
      requireAny(call.caller, ROLES.readGrants);
      const id = readableServicePrincipal(call).data.id;
      return collectionReply(call, GRANTS, Object.values(call.core.state.oauth2PermissionGrants).filter((g) => g.clientId === id));
    },
  },
  { method: 'GET', pattern: /^\/oauth2PermissionGrants$/i, operation: '/oauth2PermissionGrants', handler: (call) => { requireAny(call.caller, ROLES.readGrants); return collectionReply(call, GRANTS, Object.values(call.core.state.oauth2PermissionGrants)); } },
  { method: 'POST', pattern: /^\/oauth2PermissionGrants$/i, operation: '/oauth2PermissionGrants', handler: createGrantAction },
  { method: 'GET', pattern: /^\/oauth2PermissionGrants\/(?<grantId>[^/]+)$/i, operation: '/oauth2PermissionGrants/{oAuth2PermissionGrant-id}', handler: (call) => { requireAny(call.caller, ROLES.readGrants); return entityReply(call, GRANTS, grant(call)); } },
  { method: 'PATCH', pattern: /^\/oauth2PermissionGrants\/(?<grantId>[^/]+)$/i, operation: '/oauth2PermissionGrants/{oAuth2PermissionGrant-id}', handler: patchGrant },
  {
    method: 'DELETE', pattern: /^\/oauth2PermissionGrants\/(?<grantId>[^/]+)$/i, operation: '/oauth2PermissionGrants/{oAuth2PermissionGrant-id}', handler: (call) => {
      requireAny(call.caller, ROLES.writeGrants);
      delete call.core.state.oauth2PermissionGrants[grant(call).id as string];
      call.core.changed();
      return { status: 204 };
    },
  },
];
