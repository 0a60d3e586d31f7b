import catalogue from '../domain/catalog/graphPermissions.json';
import type { AppRole, PermissionScope } from './model';

interface CatalogueEntry {
  name: string;
  type: 'Application' | 'Delegated';
  id: string;
  adminDisplayName: string;
  description: string;
  adminConsentRequired: boolean;
}

const entries = (catalogue as { permissions: CatalogueEntry[] }).permissions;

let roles: AppRole[] | undefined;
let scopes: PermissionScope[] | undefined;

/** Microsoft Graph's appRoles, as its service principal publishes them. */
export function graphAppRoles(): AppRole[] {
  roles ??= entries.filter((e) => e.type === 'Application').map((e) => ({
    allowedMemberTypes: ['Application'], description: e.description || null, displayName: e.adminDisplayName || null,
    id: e.id, isEnabled: true, origin: 'Application', value: e.name,
  }));
  return roles;
}

/** Microsoft Graph's oauth2PermissionScopes (delegated permissions). */
export function graphScopes(): PermissionScope[] {
  scopes ??= entries.filter((e) => e.type === 'Delegated').map((e) => ({
    adminConsentDescription: e.description || null, adminConsentDisplayName: e.adminDisplayName || null, id: e.id, isEnabled: true,
    origin: 'Application', type: e.adminConsentRequired ? 'Admin' : 'User', userConsentDescription: null, userConsentDisplayName: null, value: e.name,
  }));
  return scopes;
}

export function graphRoleId(name: string): string {
  const role = graphAppRoles().find((r) => r.value === name);
  if (!role) throw new Error(`Microsoft Graph has no application permission named ${name}`);
  return role.id;
}

export function graphScopeId(name: string): string {
  const scope = graphScopes().find((s) => s.value === name);
  if (!scope) throw new Error(`Microsoft Graph has no delegated permission named ${name}`);
  return scope.id;
}
