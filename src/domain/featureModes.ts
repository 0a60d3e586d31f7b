import type { Mode } from './catalog/recipeSchema';

/** "Outlook Mail (send, receive, email routing)" → "Outlook Mail": the name people say. */
export function shortName(name: string): string {
  return name.replace(/\s*\(.*\)\s*$/, '');
}

/**
 * Which types each feature was given. One type word applies to every feature ("mail and presence
 * delegated"). With several, each type word belongs to one feature, by the request's own pattern:
 * "mail delegated, presence application" puts each after its feature, "delegated mail and application
 * presence" before. A feature that collects both ("mail delegated and application") gets both, and
 * the card asks which one: Onboard never keeps one silently.
 */
export function modesForFeatures(modes: { mode: Mode; at: number }[], features: { id: string; at: number }[], chosen: string[]): Map<string, Set<Mode>> {
  const result = new Map<string, Set<Mode>>();
  if (modes.length === 0) return result;
  const distinct = new Set(modes.map((m) => m.mode));
  if (distinct.size === 1 || features.length === 0) {
    for (const id of chosen) result.set(id, new Set(distinct));
    return result;
  }
  const prefix = modes[0].at < features[0].at;
  for (const m of modes) {
    const before = features.filter((f) => f.at < m.at).pop();
    const after = features.find((f) => f.at > m.at);
    const owner = prefix ? (after ?? before) : (before ?? after);
    if (!owner) continue;
    result.set(owner.id, new Set([...(result.get(owner.id) ?? []), m.mode]));
  }
  return result;
}
