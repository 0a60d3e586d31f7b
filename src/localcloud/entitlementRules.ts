import { badRequest } from './errors';

type Entitlement = { id: string; isEnabled?: boolean } & Record<string, unknown>;

/**
 * An enabled scope or app role can be neither removed nor changed: "To delete a permission, this property must first
 * be set to false" (https://learn.microsoft.com/graph/api/resources/permissionscope, and for roles
 * https://learn.microsoft.com/graph/api/resources/approle). Turning isEnabled off, on its own, is the allowed change.
 */
export function checkEntitlements(current: unknown, next: unknown): void {
  if (!Array.isArray(next)) return;
  const incoming = new Map((next as Entitlement[]).map((e) => [String(e.id).toLowerCase(), e]));
  for (const existing of (current as Entitlement[] | undefined) ?? []) {
    if (existing.isEnabled === false) continue;
    const after = incoming.get(String(existing.id).toLowerCase());
    const same = after !== undefined && Object.keys({ ...existing, ...after }).every((k) => k === 'isEnabled' || k === 'origin'
      || JSON.stringify(after[k] ?? null) === JSON.stringify(existing[k] ?? null));
    if (!same) {
      throw badRequest('Permission (scope or role) cannot be deleted or updated unless disabled first.', 'CannotDeleteOrUpdateEnabledEntitlement');
    }
  }
}
