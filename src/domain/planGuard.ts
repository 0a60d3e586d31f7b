import { canonicalJson } from './canonicalJson';
import { MICROSOFT_GRAPH_APP_ID, permissionCatalog, tierOf, tier0Refusal, worstRisk, type RiskTier } from './catalog/permissions';
import { planHashOf } from './plan';
import { approvalsRequired, type PolicySettings } from './policy';
import type { RegistrationRequest } from './request';
import type { StoredPlan } from './storedPlan';
import { rotationApprovals } from './rotation';

/**
 * What the provisioning worker re-derives before any write, from the stored request alone: the row may
 * have been written by anyone who can write Table Storage, so nothing in it is taken on trust
 * (docs/security.md, "Provisioning: what the saga re-checks"). Pure; membership and the approval HMAC
 * are checked by the app layer (app/provisioning/preWriteGuard.ts).
 */

/** The application body keys a plan may set; anything else (keyCredentials, appRoles, …) is refused. */
const APPLICATION_KEYS: Record<string, readonly string[] | true> = {
  displayName: true, signInAudience: true, isFallbackPublicClient: true, tags: true, notes: true, requiredResourceAccess: true,
  web: ['redirectUris', 'implicitGrantSettings'],
  publicClient: ['redirectUris'],
  api: ['requestedAccessTokenVersion', 'oauth2PermissionScopes'],
};
const AFTER_CREATE_KEYS = new Set(['identifierUris', 'requiredResourceAccess']);
/** Credentials are only ever added by the saga itself (addPassword), never through a body. */
const CREDENTIAL_KEYS = /^(keyCredentials|passwordCredentials|federatedIdentityCredentials)$/i;
const SELF = '{appId}';

interface Permission {
  resourceAppId?: unknown;
  name?: unknown;
  type?: unknown;
  id?: unknown;
}

/** The text the approval HMAC covers: request id, plan hash and the approvers' ids, sorted. */
export function approvalPayload(request: Pick<RegistrationRequest, 'id' | 'planHash' | 'approvals' | 'requester' | 'rotation'>): string {
  // Who receives the secret is part of what was approved: the requester, or a rotation's recipient and target. A row
  // edited after approval to send the one-time link to someone else no longer verifies.
  const rotation = request.rotation && { ofRequestId: request.rotation.ofRequestId, appId: request.rotation.appId.toLowerCase(), recipient: request.rotation.recipient?.id ?? null, originalRequester: request.rotation.originalRequester?.id ?? null };
  return canonicalJson({ requestId: request.id, planHash: request.planHash, approvers: request.approvals.map((a) => a.by.id).sort(), requester: request.requester.id, ...(rotation ? { rotation } : {}) });
}

/** Every credential-shaped key anywhere in a body, with its path. */
function credentialPaths(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialPaths(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (CREDENTIAL_KEYS.test(k) ? [`${path}.${k}`] : credentialPaths(v, `${path}.${k}`)));
}

function checkApplicationBody(body: Record<string, unknown>, problems: string[]): void {
  for (const [key, value] of Object.entries(body)) {
    const allowed = APPLICATION_KEYS[key];
    if (!allowed) {
      problems.push(`the application body sets ${key}, which no Onboard plan sets`);
      continue;
    }
    if (allowed !== true) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) problems.push(`the application body's ${key} is not an object`);
      else for (const sub of Object.keys(value)) if (!allowed.includes(sub)) problems.push(`the application body sets ${key}.${sub}, which no Onboard plan sets`);
    }
  }
}

/** The risk of one planned permission, from the catalogue and the tier table, never from the row. */
function riskOfPlanned(p: Permission, selfScopes: { id: string; value: string; type?: string }[], extraResources: string[], problems: string[]): RiskTier {
  const type = p.type === 'Application' || p.type === 'Delegated' ? p.type : undefined;
  const name = typeof p.name === 'string' ? p.name : '';
  if (!type || !name) {
    problems.push(`a permission is malformed: ${JSON.stringify(p).slice(0, 120)}`);
    return 'tier0';
  }
  const resource = typeof p.resourceAppId === 'string' ? p.resourceAppId : '';
  if (resource === SELF || extraResources.includes(resource)) {
    const own = selfScopes.find((s) => s.value === name);
    if (type !== 'Delegated' || (resource === SELF && !own)) problems.push(`${name} on the app itself is not a scope the plan exposes`);
    return own?.type === 'Admin' ? 'medium' : 'low';
  }
  if (resource.toLowerCase() !== MICROSOFT_GRAPH_APP_ID) {
    problems.push(`${name} is on the API ${resource || '(none)'}; Onboard plans grant Microsoft Graph permissions only`);
    return 'tier0';
  }
  const known = permissionCatalog.find(name, type);
  // A delegated drift-fix change carries the scope's value as its id; a registration plan carries the GUID.
  if (!known || known.name !== name || (p.id !== known.id && !(type === 'Delegated' && p.id === name))) {
    problems.push(`${name} (${type}) does not match the Microsoft Graph catalogue${known ? ` (its id is ${known.id})` : ''}`);
    return 'tier0';
  }
  const tier = tierOf(known);
  if (tier.tier === 'tier0') problems.push(tier0Refusal(known, tier.reason));
  return tier.tier;
}

function accessIds(list: unknown): { resourceAppId: string; id: string; type: string }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((r: { resourceAppId?: string; resourceAccess?: { id?: string; type?: string }[] }) =>
    (Array.isArray(r?.resourceAccess) ? r.resourceAccess : []).map((a) => ({ resourceAppId: String(r.resourceAppId), id: String(a?.id), type: String(a?.type) })));
}

/** A registration plan against the allow-list; returns the risk recomputed from its permissions. */
function checkRegistration(plan: Record<string, unknown>, problems: string[]): RiskTier {
  const application = plan.application;
  if (!application || typeof application !== 'object' || Array.isArray(application)) {
    problems.push('the plan has no application body');
    return 'tier0';
  }
  const body = application as Record<string, unknown>;
  checkApplicationBody(body, problems);
  const after = plan.afterCreate as Record<string, unknown> | null | undefined;
  if (after) {
    for (const key of Object.keys(after)) if (!AFTER_CREATE_KEYS.has(key)) problems.push(`the post-creation patch sets ${key}`);
    const uris = after.identifierUris;
    if (uris !== undefined && (!Array.isArray(uris) || uris.some((u) => u !== `api://${SELF}`))) problems.push(`the post-creation patch sets identifierUris ${JSON.stringify(uris).slice(0, 120)}`);
  }
  const scopes = ((body.api as { oauth2PermissionScopes?: { id: string; value: string; type?: string }[] } | undefined)?.oauth2PermissionScopes ?? []);
  const permissions = (Array.isArray(plan.permissions) ? plan.permissions : []) as Permission[];
  const risk = worstRisk(permissions.map((p) => riskOfPlanned(p, scopes, [], problems)));
  // Every id a body asks for must be one of the planned permissions, of the same type: nothing rides along.
  const planned = new Set(permissions.map((p) => `${p.resourceAppId === SELF ? SELF : String(p.resourceAppId).toLowerCase()}|${String(p.id).toLowerCase()}|${p.type === 'Application' ? 'Role' : 'Scope'}`));
  for (const a of [...accessIds(body.requiredResourceAccess), ...accessIds(after?.requiredResourceAccess)]) {
    const key = `${a.resourceAppId === SELF ? SELF : a.resourceAppId.toLowerCase()}|${a.id.toLowerCase()}|${a.type}`;
    if (!planned.has(key)) problems.push(`requiredResourceAccess asks for ${a.type} ${a.id} on ${a.resourceAppId}, which the plan's permissions do not list`);
  }
  return risk;
}

function checkDriftFix(plan: Record<string, unknown>, problems: string[]): RiskTier {
  const target = plan.target as { appId?: unknown } | undefined;
  const own = typeof target?.appId === 'string' ? [target.appId] : [];
  const changes = [...(Array.isArray(plan.permissions) ? plan.permissions : []), ...(Array.isArray(plan.remove) ? plan.remove : [])] as Permission[];
  // What a fix removes counts too: stripping an integration's grants is as consequential as granting them.
  return worstRisk(changes.map((p) => riskOfPlanned(p, [], own, problems)));
}

/**
 * An offboard plan removes, never grants: its own keys only, and a risk from what the app held (never below medium,
 * as offboardPlan sets it). Whether its target is the app its request of origin created needs that row: the app
 * layer's guard checks it (app/provisioning/preWriteGuard.ts).
 */
const OFFBOARD_KEYS = new Set(['kind', 'vendor', 'vendorId', 'displayName', 'target', 'ofRequestId', 'graceDays', 'holds', 'proposedByReview', 'features', 'secret', 'followUps', 'risk', 'planHash']);
function checkOffboard(plan: Record<string, unknown>, problems: string[]): RiskTier {
  for (const key of Object.keys(plan)) if (!OFFBOARD_KEYS.has(key)) problems.push(`the offboard plan sets ${key}, which no offboard plan sets`);
  const holds = (plan.holds as { permissions?: Permission[] } | undefined)?.permissions ?? [];
  const self = String((plan.target as { appId?: unknown } | undefined)?.appId ?? '').toLowerCase();
  const risks = holds.map((p): RiskTier => {
    const known = typeof p.name === 'string' && (p.type === 'Application' || p.type === 'Delegated') && String(p.resourceAppId).toLowerCase() === MICROSOFT_GRAPH_APP_ID ? permissionCatalog.find(p.name, p.type) : undefined;
    // A grant on the app's own API (Cirrus Connect's Unexus.Access) goes with the app, as registration plans count it (low).
    // The target is checked against the app its request of origin created before any write (preWriteGuard).
    if (!known && self && String(p.resourceAppId).toLowerCase() === self) return 'low';
    // Removing what the catalogue cannot classify needs the approvers the worst removable case needs.
    return known ? (tierOf(known).tier === 'tier0' ? 'high' : tierOf(known).tier) : 'high';
  });
  return worstRisk(['medium', ...risks]);
}

export interface GuardContext {
  policy: PolicySettings;
}

/**
 * Everything about a stored request that can be checked without I/O: the plan hash recomputed, the plan
 * against the allow-list and the permission tiers (Tier 0 refused), and the approvals against the policy
 * for the risk recomputed from the plan's permissions. Each problem is a sentence for the approvers.
 */
export function checkStoredRequest(request: RegistrationRequest, plan: StoredPlan, context: GuardContext): string[] {
  const problems: string[] = [];
  const raw = plan.body as Record<string, unknown>;
  const recomputed = planHashOf(raw as never);
  if (recomputed !== request.planHash || (raw.planHash !== undefined && raw.planHash !== request.planHash)) {
    problems.push('the stored plan does not hash to the approved plan hash (it was changed after approval)');
  }
  for (const path of credentialPaths(raw, 'plan')) problems.push(`${path} is set; credentials are never part of a plan`);
  const risk = plan.kind === 'drift-fix' ? checkDriftFix(raw, problems) : plan.kind === 'offboard' ? checkOffboard(raw, problems) : checkRegistration(raw, problems);
  if (risk === 'tier0' && !problems.some((p) => /Tier 0/.test(p))) problems.push('the plan asks for something Onboard never grants');

  const approvers = request.approvals.map((a) => a.by.id);
  if (new Set(approvers).size !== approvers.length) problems.push('the same approver is recorded more than once');
  const base = approvalsRequired(risk, context.policy);
  // A rotation's secret going to someone other than the app's requester needs a second pair of eyes (domain/rotation.ts).
  const rotation = request.rotation;
  const needed = rotation ? rotationApprovals(base, rotation.recipient ?? request.requester, rotation.originalRequester ?? request.requester) : base;
  if (new Set(approvers).size < needed) problems.push(`a ${risk}-risk plan needs ${needed} distinct approvers; ${new Set(approvers).size} recorded`);
  const selfAllowed = request.selfApprovalAllowed === true && context.policy.allowSelfApproval;
  if (!selfAllowed && approvers.includes(request.requester.id)) problems.push('the requester approved their own request');
  return problems;
}
