import { recipeById, recipes } from './catalog/recipes';
import type { Recipe } from './catalog/recipeSchema';
import { MICROSOFT_GRAPH_APP_ID, type PermissionType } from './catalog/permissions';
import { permissionKey, rowKey, type AppRecord, type PermissionRow } from './inspection';

/**
 * Drift: how an app differs from what it should be. The reference is the exact plan an approver approved
 * when Onboard's own records say Onboard made the app, else the recipe whose `knownAppIds` lists the app's
 * appId (a vendor's multi-tenant app). Tags and display names only hint at a vendor, for people to read: anyone
 * who can register an app writes them, and a reference decides what Fix drift grants.
 */

export interface PermissionRef {
  resourceAppId: string;
  type: PermissionType;
  name: string;
  /** Role or scope id when known (plans carry it); lets a fix be requested without a second lookup. */
  id?: string;
}

export interface DriftReference {
  /** Words for the card: "request REQ-… (as approved)" or "the Miradore recipe". */
  source: string;
  vendorId?: string;
  required: PermissionRef[];
  /** Not drift when present: a recipe's optional features. */
  allowed: PermissionRef[];
  /** Exact URIs (a plan) or templates with {placeholders} (a recipe); absent when not checked. */
  webRedirectUris?: string[];
  publicClientRedirectUris?: string[];
  /** Templates whose input is optional: their absence is not drift. */
  optionalUris?: string[];
  requestedAccessTokenVersion?: number | null;
}

export interface DriftItem extends PermissionRef {
  resource: string;
  /** What is wrong, in words: "not granted", "granted, not in the recipe" … */
  problem: string;
}

export interface ShapeDifference {
  what: string;
  expected: string;
  actual: string;
}

export interface Drift {
  source: string;
  missing: DriftItem[];
  extra: DriftItem[];
  shape: ShapeDifference[];
}

const SELF = '{appId}';

interface StoredPlanLike {
  vendor?: string;
  vendorId?: string;
  permissions?: { resourceAppId?: string; type?: string; name?: string; id?: string }[];
  application?: { web?: { redirectUris?: string[] }; publicClient?: { redirectUris?: string[] }; api?: { requestedAccessTokenVersion?: number | null } };
}

/** The reference from the plan stored on the request that made the app. */
export function referenceFromPlan(plan: unknown, requestId: string, appId: string): DriftReference | undefined {
  const p = (plan ?? {}) as StoredPlanLike;
  if (!Array.isArray(p.permissions) || !p.application) return undefined;
  const required = p.permissions
    .filter((q): q is Required<Pick<PermissionRef, 'name'>> & { resourceAppId?: string; type: PermissionType; id?: string } => typeof q.name === 'string' && (q.type === 'Application' || q.type === 'Delegated'))
    .map((q) => ({ resourceAppId: !q.resourceAppId || q.resourceAppId === SELF || q.resourceAppId === 'self' ? appId : q.resourceAppId, type: q.type, name: q.name, id: q.id }));
  return {
    source: `request ${requestId}, as approved`,
    vendorId: p.vendorId,
    required,
    allowed: [],
    webRedirectUris: p.application.web?.redirectUris ?? [],
    publicClientRedirectUris: p.application.publicClient?.redirectUris ?? [],
    requestedAccessTokenVersion: p.application.api?.requestedAccessTokenVersion ?? null,
  };
}

/** The reference from a vendor's recipe: its base permissions are required, every feature's are allowed. */
export function referenceFromRecipe(recipe: Recipe, appId: string): DriftReference {
  const graph = (refs: { name: string; type: PermissionType }[]) => refs.map((r) => ({ resourceAppId: MICROSOFT_GRAPH_APP_ID, type: r.type, name: r.name }));
  const features = recipe.features.flatMap((f) => [f.modes.application, f.modes.delegated].flatMap((m) => (m ? [...m.permissions, ...m.options.flatMap((o) => o.permissions)] : [])));
  const selfScopes = recipe.app.exposedScopes.filter((s) => s.selfGrant).map((s) => ({ resourceAppId: appId, type: 'Delegated' as const, name: s.value }));
  const optional = new Set(recipe.inputs.filter((i) => !i.required).map((i) => i.name));
  const templates = [...recipe.app.webRedirectUris, ...recipe.app.publicClientRedirectUris];
  return {
    source: `the ${recipe.name} recipe`,
    vendorId: recipe.id,
    required: [...graph(recipe.basePermissions), ...selfScopes],
    allowed: graph(features),
    webRedirectUris: recipe.app.webRedirectUris,
    publicClientRedirectUris: recipe.app.publicClientRedirectUris,
    optionalUris: templates.filter((t) => [...t.matchAll(/\{([a-zA-Z]+)\}/g)].some((m) => optional.has(m[1]))),
    requestedAccessTokenVersion: recipe.app.requestedAccessTokenVersion,
  };
}

/** The recipe that allow-lists this appId, the only way a recipe becomes the reference of an app Onboard did not create. */
export function recipeForAppId(appId: string, list: readonly Recipe[] = recipes()): Recipe | undefined {
  const id = appId.toLowerCase();
  return list.find((r) => r.knownAppIds.includes(id));
}

/**
 * The vendor an app seems to belong to, by Onboard's tag, a tag or a display name that names exactly one vendor.
 * A display hint only ("looks like Miradore"): never a drift reference, never a reason to grant anything.
 */
export function vendorOf(app: Pick<AppRecord, 'tags' | 'displayName'>): Recipe | undefined {
  for (const tag of app.tags) {
    const id = /^onboard:vendor:(.+)$/i.exec(tag)?.[1];
    const recipe = id ? recipeById(id.toLowerCase()) : undefined;
    if (recipe) return recipe;
  }
  const words = (text: string) => ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `;
  const name = words(app.displayName);
  const tags = app.tags.map((t) => words(t).trim());
  let best: { recipe: Recipe; length: number; tie: boolean } | undefined;
  for (const recipe of recipes()) {
    // A bare alias such as "cirrus" fits two vendors; only the vendor's full name counts in a display name.
    const length = name.includes(words(recipe.name)) ? recipe.name.length : tags.some((t) => t === recipe.name.toLowerCase() || recipe.aliases.includes(t)) ? 1 : 0;
    if (!length) continue;
    if (!best || length > best.length) best = { recipe, length, tie: false };
    else if (length === best.length) best.tie = true;
  }
  return best && !best.tie ? best.recipe : undefined;
}

const templateMatches = (template: string, uri: string) => {
  const pattern = template.split(/\{[a-zA-Z]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${pattern}$`, 'i').test(uri);
};

function uriDifferences(what: string, expected: string[] | undefined, actual: string[], optional: string[]): ShapeDifference[] {
  if (!expected) return [];
  const out: ShapeDifference[] = [];
  for (const template of expected) {
    if (!actual.some((uri) => templateMatches(template, uri)) && !optional.includes(template)) out.push({ what, expected: template, actual: 'missing' });
  }
  for (const uri of actual) {
    if (!expected.some((template) => templateMatches(template, uri))) out.push({ what, expected: 'not in the reference', actual: uri });
  }
  return out;
}

/** Missing and extra permissions, and shape differences, of an app against its reference. */
export function driftOf(app: AppRecord, rows: PermissionRow[], reference: DriftReference): Drift {
  const byKey = new Map(rows.map((r) => [rowKey(r), r]));
  const refKey = (p: PermissionRef) => permissionKey(p.resourceAppId, p.type, p.name);
  const expected = new Set([...reference.required, ...reference.allowed].map(refKey));
  const missing: DriftItem[] = [];
  // An enterprise app's requests live in its publisher's tenant: here only its grants can be compared.
  const enterprise = app.kind === 'enterprise';
  for (const want of reference.required) {
    const row = byKey.get(refKey(want));
    const granted = row?.granted === 'admin';
    const requested = enterprise || !!row?.requested;
    if (granted && requested) continue;
    const problem = !row || (!granted && !requested) ? 'neither requested nor granted' : !granted ? (row.granted === 'per-user' ? 'only some users consented; no admin consent' : 'requested, not granted') : 'granted, not requested';
    missing.push({ ...want, id: want.id ?? row?.id, resource: row?.resource ?? (want.resourceAppId === MICROSOFT_GRAPH_APP_ID ? 'Microsoft Graph' : want.resourceAppId === app.appId ? 'this app' : want.resourceAppId), problem });
  }
  const extra: DriftItem[] = rows
    .filter((r) => (r.requested || r.granted !== 'no') && !expected.has(rowKey(r)))
    .map((r) => ({ resourceAppId: r.resourceAppId, type: r.type, name: r.name, id: r.id, resource: r.resource, problem: r.granted === 'admin' ? 'granted' : r.granted === 'per-user' ? `consented by ${r.perUserCount} user${r.perUserCount === 1 ? '' : 's'}` : 'requested' }));
  const optional = reference.optionalUris ?? [];
  if (enterprise) return { source: reference.source, missing, extra, shape: [] };
  const shape = [
    ...uriDifferences('Web redirect URI', reference.webRedirectUris, app.webRedirectUris, optional),
    ...uriDifferences('Public client redirect URI', reference.publicClientRedirectUris, app.publicClientRedirectUris, optional),
  ];
  if (reference.requestedAccessTokenVersion !== undefined && (reference.requestedAccessTokenVersion ?? null) !== (app.requestedAccessTokenVersion ?? null)) {
    shape.push({ what: 'Access token version', expected: String(reference.requestedAccessTokenVersion ?? 'default (1)'), actual: String(app.requestedAccessTokenVersion ?? 'default (1)') });
  }
  return { source: reference.source, missing, extra, shape };
}

export const hasDrift = (drift: Drift) => drift.missing.length + drift.extra.length + drift.shape.length > 0;
