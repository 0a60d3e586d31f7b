import { sha256Hex } from '../../domain/canonicalJson';
import { reductionPlan, type DriftFixPlan } from '../../domain/driftFix';
import { approvalsRequired, type PolicySettings } from '../../domain/policy';
import { submitRequest, type Person, type RegistrationRequest } from '../../domain/request';
import { AlreadyExistsError } from '../errors';
import type { Clock } from '../ports';
import { requestIdFor } from '../requests/submitRequest';
import type { RequestNotifier, RequestStore } from '../workflowPorts';
import type { Inspection } from '../helpdesk/inspectApp';

/**
 * A permission as the review card offers it for removal: a short digest of its type, API and name (a card input
 * carries at most 300 characters), matched again against what the app holds now, so nothing else on the card matters.
 */
export const permissionKey = (p: { type: string; resourceAppId: string; name: string }) => sha256Hex(`${p.type}|${p.resourceAppId.toLowerCase()}|${p.name}`).slice(0, 8);

export type ReductionResult = { kind: 'submitted' | 'already-submitted'; request: RegistrationRequest } | { kind: 'refused'; message: string };

/**
 * "Reduce permissions": a removal-only drift fix of the chosen permissions the app holds now, through the normal
 * approval. Only what is granted today can be chosen; a choice the app no longer holds is named, never guessed.
 */
export async function requestReduction(
  deps: { requests: RequestStore; notifier: RequestNotifier; policy: PolicySettings; clock: Clock; expiryMs: number },
  input: { inspection: Inspection; chosen: string[]; actor: Person; madeBy: string },
): Promise<ReductionResult> {
  const { app, permissions, servicePrincipalId } = input.inspection;
  if (!servicePrincipalId) return { kind: 'refused', message: `${app.displayName} has no enterprise app (service principal) in this tenant, so it holds no permission to remove.` };
  const held = permissions.filter((p) => p.granted !== 'no');
  const wanted = new Set(input.chosen);
  const picked = held.filter((p) => wanted.has(permissionKey(p)));
  const gone = input.chosen.filter((k) => !held.some((p) => permissionKey(p) === k));
  if (gone.length) return { kind: 'refused', message: `${app.displayName} no longer holds ${gone.length === 1 ? 'one of the permissions' : `${gone.length} of the permissions`} you chose. Type **check ${app.appId}** for a fresh card and choose again.` };
  if (!picked.length) return { kind: 'refused', message: 'Choose at least one permission to remove, then press Reduce permissions again.' };
  const plan = reductionPlan({ ...app, servicePrincipalId }, picked.map((p) => ({ resourceAppId: p.resourceAppId, resource: p.resource, name: p.name, type: p.type, id: p.id, problem: 'chosen for removal in a review' })), `the review of ${input.madeBy}`)!;
  const now = deps.clock.now();
  const id = requestIdFor(`reduce:${app.appId}:${plan.planHash}`);
  const existing = await deps.requests.get(id);
  if (existing && ['PendingApproval', 'Approved', 'Provisioning'].includes(existing.value.state)) return { kind: 'already-submitted', request: existing.value };
  const request = submitRequest<DriftFixPlan>({
    id: existing ? requestIdFor(`reduce:${app.appId}:${plan.planHash}:${now.getTime()}`) : id, requester: input.actor, title: `Reduce permissions: ${app.displayName}`, vendor: 'Drift fix',
    text: `remove ${plan.remove.map((p) => p.name).join(', ')} from ${app.displayName} (${app.appId}), chosen in its review`, plan, planHash: plan.planHash, risk: plan.risk,
    requiredApprovals: approvalsRequired(plan.risk, deps.policy), expiresAfterMs: deps.expiryMs, selfApprovalAllowed: deps.policy.allowSelfApproval || undefined,
  }, now) as RegistrationRequest;
  try {
    await deps.requests.create(request);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    return { kind: 'already-submitted', request: (await deps.requests.get(request.id))!.value };
  }
  await deps.notifier.submitted(request);
  return { kind: 'submitted', request };
}
