import catalogue from './graphPermissions.json';
import tierTable from './permissionTiers.json';
import { closest } from '../text';

/** One Microsoft Graph permission, as the Microsoft Graph service principal publishes it. */
export type PermissionType = 'Application' | 'Delegated';
/** Tier 0 can be turned into control of the tenant; Onboard refuses it outright (docs/recipes.md, "Permission tiers"). */
export type RiskTier = 'low' | 'medium' | 'high' | 'tier0';

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

interface TierRule {
  match: string;
  types: PermissionType[];
  tier: RiskTier;
  reason: string;
}

export interface PermissionTier {
  tier: RiskTier;
  /** Why, in words an approver can check: from the table, or the default rule that applied. */
  reason: string;
  /** Whether the table names this permission (true), or the default rule decided (false). */
  listed: boolean;
}

const tierRules = tierTable.rules as TierRule[];
const ruleMatches = (rule: TierRule, name: string) => {
  const pattern = rule.match.toLowerCase();
  const lower = name.toLowerCase();
  if (!pattern.includes('*')) return lower === pattern;
  const [head, tail] = pattern.split('*');
  return lower.startsWith(head) && lower.endsWith(tail) && lower.length > head.length + tail.length;
};

const WRITES = /ReadWrite|\.Write|Send|Manage|FullControl|Export|Delete|Create|Remove|Update|Edit|Invite|Migrate|Restore/i;

/**
 * The tier of one permission: the table (permissionTiers.json) first, for what can be turned into control of
 * the tenant (tier0) or reaches everyone's content (high); then the default rule, small on purpose so an
 * approver can check it by eye (docs/recipes.md):
 * - high: an application permission that writes, sends, or reaches every mailbox or the whole directory
 *   (`*ReadWrite*`, `Mail.*`, `Directory.*`, `Application.*`, `AppRoleAssignment.*`, `RoleManagement.*`),
 *   and a delegated permission that needs admin consent and writes (Onboard consents it for everyone);
 * - medium: every other application permission, and delegated permissions that need admin consent;
 * - low: delegated permissions users may consent to themselves.
 */
export function tierOf(permission: Pick<GraphPermission, 'name' | 'type' | 'adminConsentRequired'>): PermissionTier {
  const { name, type } = permission;
  const rule = tierRules.find((r) => r.types.includes(type) && ruleMatches(r, name));
  if (rule) return { tier: rule.tier, reason: rule.reason, listed: true };
  if (type === 'Application') {
    if (/ReadWrite/i.test(name) || /^(Mail|Directory|Application|AppRoleAssignment|RoleManagement)\./i.test(name) || WRITES.test(name)) {
      return { tier: 'high', reason: 'an application permission that writes, sends, or reaches every mailbox or the whole directory', listed: false };
    }
    return { tier: 'medium', reason: 'an application permission: it works without a signed-in user, across the tenant', listed: false };
  }
  if (permission.adminConsentRequired && WRITES.test(name)) return { tier: 'high', reason: 'a delegated permission that writes and needs admin consent', listed: false };
  if (permission.adminConsentRequired) return { tier: 'medium', reason: 'a delegated permission that needs admin consent', listed: false };
  return { tier: 'low', reason: 'a delegated permission users may consent to themselves', listed: false };
}

export function riskOf(permission: Pick<GraphPermission, 'name' | 'type' | 'adminConsentRequired'>): RiskTier {
  return tierOf(permission).tier;
}

const riskOrder: RiskTier[] = ['low', 'medium', 'high', 'tier0'];
/** The highest of some risks; `low` for none. */
export function worstRisk(risks: readonly RiskTier[]): RiskTier {
  return risks.reduce<RiskTier>((worst, r) => (riskOrder.indexOf(r) > riskOrder.indexOf(worst) ? r : worst), 'low');
}

/** What Onboard says, everywhere, when someone asks for a Tier-0 permission. */
export function tier0Refusal(permission: Pick<GraphPermission, 'name' | 'type'>, reason: string): string {
  return `${permission.name} (${permission.type}) is Tier 0: it ${reason}. Onboard never grants Tier-0 permissions, with any number of approvals. If a vendor truly needs it, a Privileged Role Administrator has to review and grant it by hand, through Privileged Identity Management.`;
}
