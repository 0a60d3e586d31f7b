import { badRequest, denied, notFound } from '../errors';
import type { Reply } from '../http';
import type { GraphObject, Group, User } from '../model';
import { transitiveGroupIds, transitiveMemberIds } from '../tenant';
import { bodyObject } from './applications';
import { hasAny, requireAny, ROLES, type GraphCall, type GraphRoute } from './context';
import { groupObject, userObject } from './lookup';
import { collectionReply, entityReply, type EntitySet } from './odata';

const USERS: EntitySet = { context: 'users', type: 'user', properties: new Set([...Object.keys(userObject({ id: '', displayName: '', givenName: null, surname: null, userPrincipalName: '', mail: null, jobTitle: null, onboardRoles: [] })), 'accountEnabled']) };

/** accountEnabled is not among the default properties: Graph returns it only on $select (https://learn.microsoft.com/graph/api/resources/user). */
const userReply = (call: GraphCall, user: User) => entityReply(call, USERS, call.req.query.has('$select') ? { ...userObject(user), accountEnabled: user.accountEnabled !== false } : userObject(user));
const GROUPS: EntitySet = { context: 'groups', type: 'group', properties: new Set(Object.keys(groupObject({ id: '', displayName: '', description: null, mailNickname: '', securityEnabled: true, mailEnabled: false, groupTypes: [], memberIds: [] }))) };
const DIRECTORY_OBJECTS: EntitySet = { context: 'directoryObjects', type: 'directoryObject', properties: new Set([...USERS.properties, ...GROUPS.properties]) };
const ORGANIZATION: EntitySet = { context: 'organization', type: 'organization', properties: new Set(['id', 'displayName', 'verifiedDomains', 'tenantType', 'createdDateTime', 'countryLetterCode', 'city', 'country']) };

function organization(call: GraphCall): GraphObject {
  const t = call.core.state.tenant;
  return {
    id: t.id, deletedDateTime: null, assignedPlans: [], businessPhones: ['+1 555 0100'], city: 'Redmond', country: null, countryLetterCode: 'US',
    createdDateTime: t.createdDateTime, defaultUsageLocation: null, displayName: t.displayName, marketingNotificationEmails: [],
    onPremisesLastSyncDateTime: null, onPremisesSyncEnabled: null, postalCode: '98052', preferredLanguage: 'en', privacyProfile: null,
    provisionedPlans: [], securityComplianceNotificationMails: [], securityComplianceNotificationPhones: [], state: 'WA', street: '1 Contoso Way',
    technicalNotificationMails: ['it@contoso.example'], tenantType: 'AAD',
    verifiedDomains: t.verifiedDomains.map((name) => ({ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: name === t.verifiedDomains[t.verifiedDomains.length - 1], isInitial: name === t.initialDomain, name, type: 'Managed' })),
  };
}

function findUser(call: GraphCall): User {
  const key = call.params.userId.toLowerCase();
  const user = Object.values(call.core.state.users).find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
  if (!user) throw notFound(call.params.userId);
  return user;
}

function findGroup(call: GraphCall): Group {
  const group = call.core.state.groups[call.params.groupId];
  if (!group) throw notFound(call.params.groupId);
  return group;
}

/** Without a user-read permission, Graph still lists user members, but only with their type and id. */
function limitedUnlessAllowed(call: GraphCall, object: GraphObject): GraphObject {
  if (object['@odata.type'] !== '#microsoft.graph.user' || hasAny(call.caller, ROLES.readUsers)) return object;
  const limited: GraphObject = {};
  for (const key of Object.keys(object)) limited[key] = key === 'id' || key === '@odata.type' ? object[key] : null;
  limited.businessPhones = [];
  return limited;
}

/** The member a checkMemberGroups call names: a user, or (for /directoryObjects/{id}) a group or service principal too. */
function memberFor(call: GraphCall): string {
  if (call.params.userId) return findUser(call).id;
  const id = call.params.objectId;
  const state = call.core.state;
  const user = Object.values(state.users).find((u) => u.id.toLowerCase() === id.toLowerCase());
  if (user) return user.id;
  if (state.groups[id] || state.servicePrincipals[id]) return id;
  throw notFound(id);
}

function checkMemberGroups(call: GraphCall): Reply {
  // Microsoft documents this call for apps as needing User.Read.All with GroupMember.Read.All (or Directory.Read.All).
  const caller = call.caller;
  const allowed = hasAny(caller, ['Directory.Read.All', 'Directory.ReadWrite.All'])
    || (hasAny(caller, ROLES.readFullUsers) && hasAny(caller, ROLES.readGroups));
  if (!allowed) throw denied();
  const memberId = memberFor(call);
  const groupIds = bodyObject(call).groupIds;
  if (!Array.isArray(groupIds) || groupIds.some((g) => typeof g !== 'string')) throw badRequest('Invalid value specified for property \'groupIds\'.');
  if (groupIds.length > 20) throw badRequest('The number of group ids must not exceed 20.');
  const memberOf = new Set(transitiveGroupIds(call.core.state, memberId));
  return { status: 200, json: { '@odata.context': `${call.req.origin}/v1.0/$metadata#Collection(Edm.String)`, value: (groupIds as string[]).filter((g) => memberOf.has(g)) } };
}

export const directoryRoutes: GraphRoute[] = [
  { method: 'GET', pattern: /^\/organization$/i, operation: '/organization', handler: (call) => { requireAny(call.caller, ROLES.readOrganization); return collectionReply(call, ORGANIZATION, [organization(call)]); } },
  {
    method: 'GET', pattern: /^\/organization\/(?<orgId>[^/]+)$/i, operation: '/organization/{organization-id}', handler: (call) => {
      requireAny(call.caller, ROLES.readOrganization);
      if (call.params.orgId !== call.core.state.tenant.id) throw notFound(call.params.orgId);
      return entityReply(call, ORGANIZATION, organization(call));
    },
  },
  { method: 'GET', pattern: /^\/users$/i, handler: (call) => { requireAny(call.caller, ROLES.readUsers); return collectionReply(call, USERS, Object.values(call.core.state.users).map(userObject)); } },
  { method: 'GET', pattern: /^\/users\/(?<userId>[^/]+)$/i, handler: (call) => { requireAny(call.caller, ROLES.readUsers); return userReply(call, findUser(call)); } },
  {
    method: 'GET', pattern: /^\/users\/(?<userId>[^/]+)\/transitiveMemberOf$/i, operation: '/users/{user-id}/transitiveMemberOf', handler: (call) => {
      requireAny(call.caller, ROLES.readMemberships);
      const state = call.core.state;
      const groups = transitiveGroupIds(state, findUser(call).id).map((id) => groupObject(state.groups[id]));
      return collectionReply(call, { ...DIRECTORY_OBJECTS, context: 'directoryObjects' }, groups);
    },
  },
  { method: 'POST', pattern: /^\/users\/(?<userId>[^/]+)\/(?:microsoft\.graph\.)?checkMemberGroups$/i, handler: checkMemberGroups },
  // https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups
  { method: 'POST', pattern: /^\/directoryObjects\/(?<objectId>[^/]+)\/(?:microsoft\.graph\.)?checkMemberGroups$/i, handler: checkMemberGroups },
  { method: 'GET', pattern: /^\/groups$/i, handler: (call) => { requireAny(call.caller, ROLES.readGroups); return collectionReply(call, GROUPS, Object.values(call.core.state.groups).map(groupObject)); } },
  { method: 'GET', pattern: /^\/groups\/(?<groupId>[^/]+)$/i, handler: (call) => { requireAny(call.caller, ROLES.readGroups); return entityReply(call, GROUPS, groupObject(findGroup(call))); } },
  {
    // Direct members only (https://learn.microsoft.com/graph/api/group-list-members); nested groups' members are transitiveMembers.
    method: 'GET', pattern: /^\/groups\/(?<groupId>[^/]+)\/members$/i, handler: (call) => {
      requireAny(call.caller, ROLES.readGroups);
      const state = call.core.state;
      const members = findGroup(call).memberIds.filter((id) => state.users[id] || state.groups[id]).map((id) => (state.users[id] ? userObject(state.users[id]) : groupObject(state.groups[id])));
      return collectionReply(call, DIRECTORY_OBJECTS, members.map((m) => limitedUnlessAllowed(call, m)));
    },
  },
  {
    method: 'GET', pattern: /^\/groups\/(?<groupId>[^/]+)\/transitiveMembers$/i, operation: '/groups/{group-id}/transitiveMembers', handler: (call) => {
      requireAny(call.caller, ROLES.readGroups);
      const state = call.core.state;
      const members = transitiveMemberIds(state, findGroup(call).id).map((id) => (state.users[id] ? userObject(state.users[id]) : groupObject(state.groups[id])));
      return collectionReply(call, DIRECTORY_OBJECTS, members.map((m) => limitedUnlessAllowed(call, m)));
    },
  },
];
