import { MICROSOFT_GRAPH_APP_ID, permissionCatalog, riskOf, type PermissionType, type RiskTier } from '../../domain/catalog/permissions';
import type { AppInventory, LookupProgress, PermissionHolder } from './appInventory';

export interface HoldersOfType {
  type: PermissionType;
  risk: RiskTier;
  description: string;
  holders: PermissionHolder[];
}

export type HoldersOutcome =
  | { kind: 'holders'; permission: string; results: HoldersOfType[] }
  | { kind: 'unknown-permission'; permission: string; suggestions: string[] };

/**
 * "which apps have Mail.Send application": every app holding a Microsoft Graph permission. Without a type,
 * both kinds are looked up where the permission exists as both.
 */
export class FindPermissionHolders {
  constructor(private readonly deps: { inventory: AppInventory }) {}

  async execute(input: { permission: string; type?: PermissionType; progress?: LookupProgress }): Promise<HoldersOutcome> {
    const types: PermissionType[] = input.type ? [input.type] : ['Application', 'Delegated'];
    const found = types.flatMap((type) => permissionCatalog.find(input.permission, type) ?? []);
    if (!found.length) {
      const other = input.type && permissionCatalog.exists(input.permission) ? [`which apps have ${input.permission} ${input.type === 'Application' ? 'delegated' : 'application'}`] : [];
      return { kind: 'unknown-permission', permission: input.permission, suggestions: [...other, ...permissionCatalog.suggest(input.permission).map((n) => `which apps have ${n}`)] };
    }
    let before = 0;
    let last = 0;
    const results: HoldersOfType[] = [];
    for (const p of found) {
      const progress = (scanned: number) => input.progress?.(before + (last = scanned));
      const holders = p.type === 'Application'
        ? await this.deps.inventory.appRoleHolders(MICROSOFT_GRAPH_APP_ID, p.id, progress)
        : await this.deps.inventory.delegatedHolders(MICROSOFT_GRAPH_APP_ID, p.name, progress);
      holders.sort((a, b) => a.displayName.localeCompare(b.displayName));
      results.push({ type: p.type, risk: riskOf(p), description: p.adminDisplayName, holders });
      before += last;
      last = 0;
    }
    return { kind: 'holders', permission: found[0].name, results };
  }
}
