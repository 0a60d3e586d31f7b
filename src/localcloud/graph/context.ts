import type { Core } from '../core';
import { GraphError, denied } from '../errors';
import type { LocalRequest, Reply } from '../http';
import type { StoredObject } from '../model';
import { GRAPH_AUDIENCE } from '../entra';
import { MICROSOFT_GRAPH_APP_ID } from '../model';

/** Who is calling Graph: the app in the access token, with the Graph app roles the token carries. */
export interface Caller {
  appId: string;
  servicePrincipalId: string;
  roles: Set<string>;
}

export interface GraphCall {
  core: Core;
  req: LocalRequest;
  caller: Caller;
  params: Record<string, string>;
  body: unknown;
  /** The request path after `/v1.0`, for nextLinks. */
  path: string;
}

export type GraphHandler = (call: GraphCall) => Reply | Promise<Reply>;

export interface GraphRoute {
  method: string;
  pattern: RegExp;
  /** The OpenAPI path whose schemas describe this route's bodies, when the subset describes it. */
  operation?: string;
  handler: GraphHandler;
}

const invalidToken = (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message, {
  'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${MICROSOFT_GRAPH_APP_ID}"`,
});

export function authenticate(core: Core, req: LocalRequest): Caller {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw invalidToken('Access token is empty.');
  const result = core.signingKey.verify(match[1]);
  if ('problem' in result) {
    throw invalidToken(result.problem === 'expired' ? 'Lifetime validation failed, the token is expired.' : result.problem === 'signature' ? 'Access token validation failure. Invalid signature.' : 'Access token validation failure.');
  }
  const { claims } = result;
  if (claims.aud !== GRAPH_AUDIENCE && claims.aud !== MICROSOFT_GRAPH_APP_ID && claims.aud !== `${GRAPH_AUDIENCE}/`) throw invalidToken('Access token validation failure. Invalid audience.');
  if (claims.tid !== core.state.tenant.id) throw invalidToken('Access token validation failure. Invalid issuer.');
  return { appId: String(claims.appid ?? claims.azp), servicePrincipalId: String(claims.oid), roles: new Set(Array.isArray(claims.roles) ? claims.roles.map(String) : []) };
}

/** Graph application permissions, grouped by what they allow (least privileged first). */
export const ROLES = {
  readApps: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  ownedBy: 'Application.ReadWrite.OwnedBy',
  writeAllApps: ['Application.ReadWrite.All'],
  assignAppRoles: ['AppRoleAssignment.ReadWrite.All'],
  readAssignments: ['Application.Read.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  writeGrants: ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
  readGrants: ['DelegatedPermissionGrant.ReadWrite.All', 'DelegatedPermissionGrant.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readOrganization: ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'User.ReadBasic.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readFullUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readMemberships: ['User.Read.All', 'GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readGroups: ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
} as const;

export const hasAny = (caller: Caller, roles: readonly string[]): boolean => roles.some((r) => caller.roles.has(r));

export function requireAny(caller: Caller, roles: readonly string[]): void {
  if (!hasAny(caller, roles)) throw denied();
}

export const owns = (caller: Caller, object: StoredObject): boolean => object.meta.ownerIds.includes(caller.servicePrincipalId);

/** Reading applications or service principals: all of them with a read role, only owned ones with OwnedBy alone. */
export function canRead(caller: Caller, object: StoredObject): boolean {
  return hasAny(caller, ROLES.readApps) || (caller.roles.has(ROLES.ownedBy) && owns(caller, object));
}

/** Changing an application or service principal: Application.ReadWrite.All, or OwnedBy on one the caller owns. */
export function requireWrite(caller: Caller, object: StoredObject): void {
  if (hasAny(caller, ROLES.writeAllApps)) return;
  if (caller.roles.has(ROLES.ownedBy) && owns(caller, object)) return;
  throw denied();
}
