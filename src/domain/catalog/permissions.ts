import catalogue from './graphPermissions.json';
import { closest } from '../text';

/** One Microsoft Graph permission, as the Microsoft Graph service principal publishes it. */
export type PermissionType = 'Application' | 'Delegated';
export type RiskTier = 'low' | 'medium' | 'high';

export interface GraphPermission {
  name: string;
  type: PermissionType;
  id: string;
  adminDisplayName: string;
  description: string;
  adminConsentRequired: boolean;
}

export const MICROSOFT_GRAPH_APP_ID = catalogue.resourceAppId;
export const MICROSOFT_GRAPH_NAME = catalogue.resourceName;

const all = catalogue.permissions as GraphPermission[];
const byKey = new Map(all.map((p) => [`${p.type}:${p.name.toLowerCase()}`, p]));
const byIdMap = new Map(all.map((p) => [`${p.type}:${p.id}`, p]));
const names = [...new Set(all.map((p) => p.name))];

export const permissionCatalog = {
  all: (): readonly GraphPermission[] => all,
  /** Case-insensitive, as people type them. */
  find(name: string, type: PermissionType): GraphPermission | undefined {
    return byKey.get(`${type}:${name.toLowerCase()}`);
  },
  /** The same GUID can name an app role and a scope, so the type is part of the key. */
  byId(id: string, type?: PermissionType): GraphPermission | undefined {
    if (type) return byIdMap.get(`${type}:${id}`);
    return byIdMap.get(`Application:${id}`) ?? byIdMap.get(`Delegated:${id}`);
  },
  exists(name: string): boolean {
    return byKey.has(`Application:${name.toLowerCase()}`) || byKey.has(`Delegated:${name.toLowerCase()}`);
  },
  /** Closest permission names, for "did you mean". */
  suggest(name: string, limit = 3): string[] {
    const near = closest(name, names, 2, limit);
    if (near.length) return near;
    const prefix = name.split('.')[0].toLowerCase();
    return names.filter((n) => n.toLowerCase().startsWith(prefix + '.')).slice(0, limit);
  },
};

/**
 * The risk rule, small on purpose so an approver can check it by eye (docs/recipes.md):
 * - high: an application permission that writes, sends, or reaches every mailbox or the whole
 *   directory (`*ReadWrite*`, `Mail.*`, `Directory.*`, `Application.*`, `AppRoleAssignment.*`,
 *   `RoleManagement.*`), and delegated `Directory.AccessAsUser.All`;
 * - medium: every other application permission, and delegated permissions that need admin consent;
 * - low: delegated permissions users may consent to themselves.
 */
export function riskOf(permission: Pick<GraphPermission, 'name' | 'type' | 'adminConsentRequired'>): RiskTier {
  const name = permission.name;
  if (permission.type === 'Application') {
    if (/ReadWrite/i.test(name) || /^(Mail|Directory|Application|AppRoleAssignment|RoleManagement)\./i.test(name)) return 'high';
    return 'medium';
  }
  if (/^Directory\.AccessAsUser\.All$/i.test(name)) return 'high';
  return permission.adminConsentRequired ? 'medium' : 'low';
}
