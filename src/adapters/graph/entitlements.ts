import type { GraphBody } from '../../domain/provisioning';

/**
 * Entra refuses to change or remove an enabled scope or app role (400 CannotDeleteOrUpdateEnabledEntitlement):
 * "To delete a permission, this property must first be set to false"
 * (https://learn.microsoft.com/graph/api/resources/permissionscope, https://learn.microsoft.com/graph/api/resources/approle).
 * So a change goes in two PATCHes: first the entries it changes or drops are disabled, unchanged otherwise, then the
 * wanted list is written.
 */
export const ENTITLEMENT_PROTECTED = 'CannotDeleteOrUpdateEnabledEntitlement';

type Entitlement = { id: string; isEnabled?: boolean } & Record<string, unknown>;

export interface CurrentEntitlements {
  appRoles?: Entitlement[];
  api?: ({ oauth2PermissionScopes?: Entitlement[] } & Record<string, unknown>) | null;
}

export function entitlementsIn(body: GraphBody): { appRoles?: Entitlement[]; scopes?: Entitlement[] } {
  const appRoles = Array.isArray(body.appRoles) ? body.appRoles as Entitlement[] : undefined;
  const scopes = (body.api as { oauth2PermissionScopes?: unknown } | undefined)?.oauth2PermissionScopes;
  return { appRoles, scopes: Array.isArray(scopes) ? scopes as Entitlement[] : undefined };
}

/** Same entry apart from isEnabled (and origin, which Entra fills in itself). */
function unchanged(now: Entitlement, next: Entitlement | undefined): boolean {
  if (!next) return false;
  return Object.keys({ ...now, ...next }).every((k) => k === 'isEnabled' || k === 'origin' || JSON.stringify(now[k] ?? null) === JSON.stringify(next[k] ?? null));
}

/** The current list with each enabled entry that `wanted` changes or drops turned off, or undefined when none is. */
function disabled(current: Entitlement[] | undefined, wanted: Entitlement[] | undefined): Entitlement[] | undefined {
  if (!wanted || !current) return undefined;
  const byId = new Map(wanted.map((e) => [String(e.id).toLowerCase(), e]));
  let any = false;
  const out = current.map((e) => {
    if (e.isEnabled === false || unchanged(e, byId.get(String(e.id).toLowerCase()))) return e;
    any = true;
    return { ...e, isEnabled: false };
  });
  return any ? out : undefined;
}

/** The PATCH body that disables what the wanted body would otherwise be refused for, or undefined. */
export function disablingStep(current: CurrentEntitlements, wanted: { appRoles?: Entitlement[]; scopes?: Entitlement[] }): GraphBody | undefined {
  const body: GraphBody = {};
  const roles = disabled(current.appRoles, wanted.appRoles);
  if (roles) body.appRoles = roles;
  const scopes = disabled(current.api?.oauth2PermissionScopes, wanted.scopes);
  if (scopes) body.api = { ...(current.api ?? {}), oauth2PermissionScopes: scopes };
  return Object.keys(body).length ? body : undefined;
}
