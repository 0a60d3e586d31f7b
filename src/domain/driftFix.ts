import { canonicalJson, sha256Hex } from './canonicalJson';
import { MICROSOFT_GRAPH_APP_ID, permissionCatalog, riskOf, worstRisk, type RiskTier } from './catalog/permissions';
import type { Drift, DriftItem } from './drift';
import type { PlannedPermission } from './plan';

/**
 * A change to an app that already exists: grant what its reference says is missing, remove what it holds beyond
 * it. Stored as the plan of an ordinary request, so it goes through the same approval; it has no `application`
 * body on purpose, so the registration saga can never mistake it for a new app (it would refuse the plan).
 */
/** One permission to grant or remove: the same fields a registration plan lists (for a delegated scope, `id` is its value). */
export type DriftFixChange = PlannedPermission;

export interface DriftFixPlan {
  kind: 'drift-fix';
  vendor: string;
  vendorId: 'drift-fix';
  displayName: string;
  target: { appId: string; objectId: string; servicePrincipalId: string };
  source: string;
  /** Granted on approval. */
  permissions: DriftFixChange[];
  /** Removed on approval. */
  remove: DriftFixChange[];
  features: string[];
  secret: { issue: false; lifetimeDays: 0 };
  followUps: string[];
  risk: RiskTier;
  planHash: string;
}

export const isDriftFixPlan = (plan: unknown): plan is DriftFixPlan => (plan as { kind?: unknown } | null)?.kind === 'drift-fix';

function change(item: DriftItem): DriftFixChange {
  const graph = item.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID ? permissionCatalog.find(item.name, item.type) : undefined;
  const adminConsentRequired = graph?.adminConsentRequired ?? item.type === 'Application';
  return {
    resourceAppId: item.resourceAppId, resource: item.resource, name: item.name, type: item.type,
    id: item.type === 'Delegated' ? item.name : (graph?.id ?? item.id ?? item.name),
    adminConsentRequired, risk: riskOf({ name: item.name, type: item.type, adminConsentRequired }),
    adminDisplayName: graph?.adminDisplayName ?? `${item.name} on ${item.resource}`,
  };
}

const worst = (risks: RiskTier[]): RiskTier => worstRisk(risks);

/**
 * The fix for an app's permission drift. Only permissions on APIs this tenant knows can be granted; an extra
 * that is only requested (never granted) is left for the app's owner, since removing it changes nothing it may do.
 */
export function driftFixPlan(app: { appId: string; id: string; displayName: string; servicePrincipalId: string }, drift: Drift): DriftFixPlan | undefined {
  const add = drift.missing.filter((m) => !!m.id || m.type === 'Delegated').map(change);
  const remove = drift.extra.filter((e) => e.problem === 'granted' || e.problem.startsWith('consented')).map(change);
  if (!add.length && !remove.length) return undefined;
  const plan: Omit<DriftFixPlan, 'planHash'> = {
    kind: 'drift-fix', vendor: 'Drift fix', vendorId: 'drift-fix', displayName: app.displayName,
    target: { appId: app.appId, objectId: app.id, servicePrincipalId: app.servicePrincipalId }, source: drift.source,
    permissions: add, remove,
    features: [...add.map((p) => `grant ${p.name} (${p.type})`), ...remove.map((p) => `remove ${p.name} (${p.type})`)],
    secret: { issue: false, lifetimeDays: 0 }, followUps: [],
    // A removal is as risky as what it removes: stripping a high-risk grant can stop an integration (or an incident
    // responder's containment), so it needs the same approvers as granting it would.
    risk: worst([...add, ...remove].map((p) => p.risk)),
  };
  return { ...plan, planHash: sha256Hex(canonicalJson(plan)) };
}

/**
 * The periodic review's "Reduce permissions": remove only the chosen permissions the app holds now, nothing granted.
 * The same drift-fix kind, so the worker's drift-fix handler applies it behind the same pre-write guard.
 */
export function reductionPlan(app: { appId: string; id: string; displayName: string; servicePrincipalId: string }, chosen: DriftItem[], source: string): DriftFixPlan | undefined {
  const remove = chosen.map(change);
  if (!remove.length) return undefined;
  const plan: Omit<DriftFixPlan, 'planHash'> = {
    kind: 'drift-fix', vendor: 'Drift fix', vendorId: 'drift-fix', displayName: app.displayName,
    target: { appId: app.appId, objectId: app.id, servicePrincipalId: app.servicePrincipalId }, source,
    permissions: [], remove, features: remove.map((p) => `remove ${p.name} (${p.type})`),
    secret: { issue: false, lifetimeDays: 0 }, followUps: [], risk: worst(remove.map((p) => p.risk)),
  };
  return { ...plan, planHash: sha256Hex(canonicalJson(plan)) };
}
