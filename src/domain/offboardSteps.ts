import type { OffboardRecord, RemovalStep } from './offboardRecord';
import { move, type ProvisioningTransition, type RegistrationRequest } from './request';

/**
 * Offboarding's pure transitions. Each worker step runs in Provisioning under the request's lease (the same lease
 * as a registration saga, so only one instance writes); between step 1 and step 2 the request rests in Disabled
 * with no lease, until removal is due or an approver restores it.
 */
const DAY_MS = 86_400_000;

const leaseOf = (owner: string, leaseMs: number, now: Date) => ({ owner, until: new Date(now.getTime() + leaseMs).toISOString() });

function refuse<Plan>(request: RegistrationRequest<Plan>): ProvisioningTransition<Plan> {
  return { ok: false, refusal: { code: 'not-provisionable', state: request.state } };
}

/** Step 1 read back: Provisioning → Disabled, removal due `graceDays` after the (last) approval. */
export function recordDisabled<Plan>(request: RegistrationRequest<Plan>, owner: string, graceDays: number, now: Date): ProvisioningTransition<Plan> {
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const approvedAt = Date.parse(request.approvals.at(-1)?.at ?? now.toISOString());
  const offboarding: OffboardRecord = { ...request.offboarding, disabledAt: request.offboarding?.disabledAt ?? now.toISOString(), removeAfter: new Date(approvedAt + graceDays * DAY_MS).toISOString() };
  const moved = move(request, 'Disabled', now, undefined, { lease: undefined, offboarding, progress: undefined });
  return moved.ok ? moved : refuse(request);
}

/** Whether step 2 is due: Disabled, its grace period over, and not restored. */
export function isDueForRemoval(request: RegistrationRequest, now: Date): boolean {
  const after = request.offboarding?.removeAfter;
  return request.state === 'Disabled' && !!after && !request.offboarding?.restore && now.getTime() >= Date.parse(after);
}

/** Entra keeps a deleted application for 30 days (https://learn.microsoft.com/graph/api/resources/directory). */
export const RESTORABLE_DAYS = 30;

/** Whether an offboarded app can still come back from deleted items. */
export function isRestorable(request: RegistrationRequest, now: Date): boolean {
  const deletedAt = request.offboarding?.removal?.application?.at;
  return request.state === 'Offboarded' && !!deletedAt && now.getTime() < Date.parse(deletedAt) + RESTORABLE_DAYS * DAY_MS;
}

/**
 * Disabled → Provisioning under our lease, for step 2 (when due) or for turning sign-in back on (when restored);
 * Offboarded → Provisioning, to bring a restored app back from deleted items.
 */
export function resumeOffboarding<Plan>(request: RegistrationRequest<Plan>, owner: string, leaseMs: number, now: Date): ProvisioningTransition<Plan> {
  if (request.state === 'Offboarded') {
    if (!request.offboarding?.restore || !isRestorable(request as RegistrationRequest, now)) return refuse(request);
    const moved = move(request, 'Provisioning', now, undefined, { lease: leaseOf(owner, leaseMs, now) });
    return moved.ok ? moved : refuse(request);
  }
  if (request.state !== 'Disabled') return refuse(request);
  const restoring = !!request.offboarding?.restore;
  if (!restoring && !isDueForRemoval(request as RegistrationRequest, now)) return refuse(request);
  const moved = move(request, 'Provisioning', now, undefined, { lease: leaseOf(owner, leaseMs, now) });
  return moved.ok ? moved : refuse(request);
}

/** One step of removal done (or found already done), recorded under our lease, which it renews. */
export function recordRemoval<Plan>(request: RegistrationRequest<Plan>, owner: string, leaseMs: number, step: RemovalStep, removed: number, now: Date): ProvisioningTransition<Plan> {
  if (request.state !== 'Provisioning') return refuse(request);
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const offboarding: OffboardRecord = { ...request.offboarding, removal: { ...request.offboarding?.removal, [step]: { at: now.toISOString(), removed } } };
  return { ok: true, request: { ...request, offboarding, lease: leaseOf(owner, leaseMs, now), updatedAt: now.toISOString() } };
}

/** Step 2 read back: Provisioning → Offboarded. */
export function recordOffboarded<Plan>(request: RegistrationRequest<Plan>, owner: string, now: Date): ProvisioningTransition<Plan> {
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const moved = move(request, 'Offboarded', now, undefined, { lease: undefined, offboarding: { ...request.offboarding, verifiedAt: now.toISOString() } });
  return moved.ok ? moved : refuse(request);
}

/** Sign-in on again, read back: Provisioning → Restored; step 2 can never run for this request. */
export function recordReEnabled<Plan>(request: RegistrationRequest<Plan>, owner: string, now: Date): ProvisioningTransition<Plan> {
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const moved = move(request, 'Restored', now, undefined, { lease: undefined, offboarding: { ...request.offboarding, reEnabledAt: now.toISOString() } });
  return moved.ok ? moved : refuse(request);
}

/** One object brought back from deleted items, recorded under our lease. */
export function recordBroughtBack<Plan>(request: RegistrationRequest<Plan>, owner: string, leaseMs: number, kind: 'application' | 'servicePrincipal', now: Date): ProvisioningTransition<Plan> {
  if (request.state !== 'Provisioning') return refuse(request);
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const offboarding: OffboardRecord = { ...request.offboarding, broughtBack: { ...request.offboarding?.broughtBack, [kind]: now.toISOString() } };
  return { ok: true, request: { ...request, offboarding, lease: leaseOf(owner, leaseMs, now), updatedAt: now.toISOString() } };
}

/** Back from deleted items, sign-in on, the re-grant asked for: Provisioning → Restored. */
export function recordRestoredAfterRemoval<Plan>(request: RegistrationRequest<Plan>, owner: string, regrantRequestId: string | undefined, now: Date): ProvisioningTransition<Plan> {
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const moved = move(request, 'Restored', now, undefined, { lease: undefined, offboarding: { ...request.offboarding, reEnabledAt: now.toISOString(), regrantRequestId } });
  return moved.ok ? moved : refuse(request);
}

/** Which offboarding phase a request under lease is in, from its own record. */
export function offboardPhase(request: RegistrationRequest): 'disable' | 'remove' | 're-enable' | 'bring-back' {
  if (!request.offboarding?.disabledAt) return 'disable';
  if (request.offboarding.verifiedAt) return request.offboarding.restore ? 'bring-back' : 'remove';
  return request.offboarding.restore ? 're-enable' : 'remove';
}
