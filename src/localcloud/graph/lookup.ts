import { notFound } from '../errors';
import type { GraphObject, Group, StoredObject, User } from '../model';
import { findApplication, findServicePrincipalByAppId, isVisible } from '../tenant';
import type { GraphCall } from './context';

export type Address = { by: 'id' | 'appId' | 'uniqueName'; value: string };

/** `{id}` or an alternate key: `(appId='…')`, `(uniqueName='…')`. */
export const ADDRESS = String.raw`(?:\/(?<id>[^/()]+)|\((?<key>appId|uniqueName)=(?:'(?<quoted>(?:[^']|'')*)'|(?<bare>[^')]*))\))`;

export function addressOf(params: Record<string, string>): Address {
  if (params.id !== undefined) return { by: 'id', value: params.id };
  return { by: params.key as 'appId' | 'uniqueName', value: (params.quoted ?? params.bare ?? '').replace(/''/g, "'") };
}


/** Counts the lookup against the rule that made the object lag, if that is why it is not visible yet. */
function visibleOrCount(call: GraphCall, found: StoredObject | undefined): found is StoredObject {
  if (!found) return false;
  if (isVisible(found, call.core.now())) return true;
  const lagRule = (found as StoredObject).meta.lagRule;
  if (lagRule) call.core.countLag(lagRule);
  return false;
}

export function lookupApplication(call: GraphCall, address: Address): StoredObject {
  const app = findApplication(call.core.state, address);
  if (!visibleOrCount(call, app)) throw notFound(address.value);
  return app;
}

export function tryApplication(call: GraphCall, address: Address): StoredObject | undefined {
  const app = findApplication(call.core.state, address);
  return visibleOrCount(call, app) ? app : undefined;
}

export function lookupServicePrincipal(call: GraphCall, address: Address): StoredObject {
  const state = call.core.state;
  const sp = address.by === 'appId' ? findServicePrincipalByAppId(state, address.value) : address.by === 'id' ? state.servicePrincipals[address.value] : undefined;
  if (!visibleOrCount(call, sp)) throw notFound(address.value);
  return sp;
}

/** Whether a service principal id is usable by this request; counts replication lag when it is not yet. */
export function visibleServicePrincipal(call: GraphCall, id: string): boolean {
  return visibleOrCount(call, call.core.state.servicePrincipals[id]);
}

export function userObject(user: User): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.user', id: user.id, businessPhones: [], displayName: user.displayName, givenName: user.givenName,
    jobTitle: user.jobTitle, mail: user.mail, mobilePhone: null, officeLocation: null, preferredLanguage: null, surname: user.surname,
    userPrincipalName: user.userPrincipalName,
  };
}

export function groupObject(group: Group): GraphObject {
  return {
    '@odata.type': '#microsoft.graph.group', id: group.id, deletedDateTime: null, classification: null, createdDateTime: '2024-01-15T09:00:00Z',
    description: group.description, displayName: group.displayName, groupTypes: group.groupTypes, mail: null, mailEnabled: group.mailEnabled,
    mailNickname: group.mailNickname, securityEnabled: group.securityEnabled, visibility: null,
  };
}

/** A directory object by id, in the shape a directoryObject collection returns it. */
export function directoryObject(call: GraphCall, id: string): GraphObject | undefined {
  const state = call.core.state;
  const sp = state.servicePrincipals[id];
  if (sp) return { '@odata.type': '#microsoft.graph.servicePrincipal', ...sp.data };
  const app = state.applications[id];
  if (app) return { '@odata.type': '#microsoft.graph.application', ...app.data };
  if (state.users[id]) return userObject(state.users[id]);
  if (state.groups[id]) return groupObject(state.groups[id]);
  return undefined;
}
