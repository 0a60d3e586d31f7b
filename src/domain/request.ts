/**
 * The registration request: one aggregate, persisted as a whole and changed only through these
 * pure transitions. The store applies each result with compare-and-set, so two clicks can never
 * both win. Draft is the preview card itself; a request is stored from PendingApproval on.
 */
import type { RiskTier } from './catalog/permissions';
import type { Lease, ProvisioningRecord, ProvisioningResults, ProvisioningStep } from './provisioningRecord';
import type { StoredPlan } from './storedPlan';
import type { OffboardRecord } from './offboardRecord';

export type { RiskTier };
export type { Lease, ProvisioningRecord, ProvisioningResults, ProvisioningStep };
export type RequestState = 'PendingApproval' | 'Approved' | 'Provisioning' | 'Provisioned' | 'SecretDelivered' | 'Rejected' | 'Cancelled' | 'Expired' | 'Failed'
  /** Offboarding (domain/offboarding.ts): sign-in is off, removal is due after the grace period; restorable. */
  | 'Disabled'
  /** Offboarding's step 2 is done: grants and credentials removed, the application in deleted items. */
  | 'Offboarded'
  /** An offboarding was called off within the grace period: sign-in is on again and nothing was removed. */
  | 'Restored';

export interface Person {
  /** Entra object id: the identity every check uses. */
  id: string;
  name: string;
}

export interface Decision {
  by: Person;
  at: string;
  reason?: string;
}

export interface Progress {
  step: number;
  total: number;
  label: string;
}

export interface RegistrationRequest<Plan = unknown> {
  id: string;
  state: RequestState;
  requester: Person;
  /** The app's display name as the approver sees it. */
  title: string;
  vendor?: string;
  /** What the requester typed, for the audit trail and the cards. */
  text: string;
  /** Why it is needed, in the requester's words: shown to the approvers and kept in the audit trail. */
  justification?: string;
  plan: Plan;
  planHash: string;
  risk: RiskTier;
  requiredApprovals: number;
  approvals: Decision[];
  /**
   * HMAC over (id, planHash, approver ids) with the approval key in Key Vault, made when the last required
   * approval landed: a row written straight to Table Storage has none that verifies, so it never provisions.
   */
  approvalMac?: string;
  rejection?: Decision;
  cancellation?: Decision;
  failure?: { at: string; message: string; retryable: boolean };
  progress?: Progress;
  /** What provisioning has made so far, step by step, so a restarted saga skips finished steps. */
  provisioning?: ProvisioningRecord;
  /** Which instance runs the saga, until when; renewed as it works, taken over once expired. */
  lease?: Lease;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  reminderSentAt?: string;
  /** Set when the local profile lets a requester approve their own request; the cards say so. */
  selfApprovalAllowed?: boolean;
  /** How the client secret reaches the requester (docs/secrets.md); token hashes only, never a value. */
  handover?: SecretHandover;
  /** Set on a rotation: a new password for an app an earlier request created, and nothing else (src/app/secrets/rotateSecret.ts). */
  rotation?: Rotation;
  /** Set on an offboard request: what each offboarding step did, and when removal is due. */
  offboarding?: OffboardRecord;
  history: { at: string; from?: RequestState; to: RequestState; by?: string }[];
  /** The plan parsed by kind, set by the store each time it reads the request; never stored. */
  work?: StoredPlan;
}

export interface SecretHandover {
  /** The current one-time link's token hash; a link issued again (a crash before its card was sent) replaces it. */
  tokenHash?: string;
  issuedAt?: string;
  expiresAt?: string;
  /** The link's card reached the requester's personal chat. */
  sentAt?: string;
  /** The requester had no personal chat with Onboard, and was asked (where they made the request) to open one. */
  unreachableNoticeAt?: string;
  /** The "secret not delivered" notice (vault outage) reached the requester and the approvers. */
  notDeliveredNoticeAt?: string;
  /** A request cancelled after its saga stored a secret: that secret was purged and its password removed. */
  withdrawnAt?: string;
}

export interface Rotation {
  /** The request whose saga created the application: its provisioning record names the app's ids. */
  ofRequestId: string;
  appId: string;
  /** The handed-over passwords live when the rotation was asked for; removed after the grace period or on confirmation. */
  oldKeyIds: string[];
  oldRemovedAt?: string;
  /** The requester said the vendor uses the new secret: the worker removes the old ones at once. */
  confirmedAt?: string;
  confirmedBy?: Person;
  /** Who receives the new secret: the original requester, unless someone else was named on the card (two approvers). */
  recipient?: Person;
  /** The original request's requester, so a card can say when the recipient is someone else. */
  originalRequester?: Person;
  /** How the app's grants differed from its plan when the secret was added: reported, never re-granted (Fix drift). */
  grantsDiffer?: string[];
}

export type TransitionRefusal =
  | { code: 'not-pending'; state: RequestState }
  | { code: 'already-approved-by-you' }
  | { code: 'reason-required' }
  | { code: 'not-requester' }
  | { code: 'not-expired' }
  | { code: 'past-expiry'; expiresAt: string }
  | { code: 'illegal'; from: RequestState; to: RequestState };

export type Transition<Plan> = { ok: true; request: RegistrationRequest<Plan> } | { ok: false; refusal: TransitionRefusal };

const legal: Record<RequestState, RequestState[]> = {
  PendingApproval: ['Approved', 'Rejected', 'Cancelled', 'Expired'],
  Approved: ['Provisioning', 'Failed'],
  Provisioning: ['Provisioned', 'Failed', 'Disabled', 'Offboarded', 'Restored'],
  Provisioned: ['SecretDelivered'],
  SecretDelivered: [],
  Rejected: [],
  Cancelled: [],
  Expired: [],
  Failed: ['Approved', 'Cancelled'],
  // Removal when due, or sign-in turned back on: both run as worker steps under the lease (Provisioning).
  Disabled: ['Provisioning'],
  // Restored from deleted items within Entra's 30 days: a worker step under the lease again.
  Offboarded: ['Provisioning'],
  Restored: [],
};

export function isTerminal(state: RequestState): boolean {
  return legal[state].length === 0;
}

/** The one way a request changes state: the legal table above decides; offboarding's transitions use it too. */
export function move<Plan>(request: RegistrationRequest<Plan>, to: RequestState, at: Date, by: Person | undefined, change: Partial<RegistrationRequest<Plan>> = {}): Transition<Plan> {
  if (!legal[request.state].includes(to)) return { ok: false, refusal: { code: 'illegal', from: request.state, to } };
  const when = at.toISOString();
  return {
    ok: true,
    request: { ...request, ...change, state: to, updatedAt: when, history: [...request.history, { at: when, from: request.state, to, by: by?.id }] },
  };
}

export interface NewRequest<Plan> {
  id: string;
  requester: Person;
  title: string;
  vendor?: string;
  text: string;
  justification?: string;
  plan: Plan;
  planHash: string;
  risk: RiskTier;
  requiredApprovals: number;
  expiresAfterMs: number;
  selfApprovalAllowed?: boolean;
}

export function submitRequest<Plan>(input: NewRequest<Plan>, now: Date): RegistrationRequest<Plan> {
  const at = now.toISOString();
  const { expiresAfterMs, ...rest } = input;
  return { ...rest, state: 'PendingApproval', approvals: [], createdAt: at, updatedAt: at, expiresAt: new Date(now.getTime() + expiresAfterMs).toISOString(), history: [{ at, to: 'PendingApproval', by: input.requester.id }] };
}

/** Records one approval; the request becomes Approved once enough distinct approvers agreed. */
export function approve<Plan>(request: RegistrationRequest<Plan>, approver: Person, now: Date): Transition<Plan> {
  if (request.state !== 'PendingApproval') return { ok: false, refusal: { code: 'not-pending', state: request.state } };
  if (isPastExpiry(request, now)) return { ok: false, refusal: { code: 'past-expiry', expiresAt: request.expiresAt } };
  if (request.approvals.some((a) => a.by.id === approver.id)) return { ok: false, refusal: { code: 'already-approved-by-you' } };
  const approvals = [...request.approvals, { by: approver, at: now.toISOString() }];
  if (approvals.length < request.requiredApprovals) {
    return { ok: true, request: { ...request, approvals, updatedAt: now.toISOString() } };
  }
  return move(request, 'Approved', now, approver, { approvals });
}

export function reject<Plan>(request: RegistrationRequest<Plan>, approver: Person, reason: string, now: Date): Transition<Plan> {
  if (request.state !== 'PendingApproval') return { ok: false, refusal: { code: 'not-pending', state: request.state } };
  if (isPastExpiry(request, now)) return { ok: false, refusal: { code: 'past-expiry', expiresAt: request.expiresAt } };
  if (!reason.trim()) return { ok: false, refusal: { code: 'reason-required' } };
  return move(request, 'Rejected', now, approver, { rejection: { by: approver, at: now.toISOString(), reason: reason.trim() } });
}

export function cancel<Plan>(request: RegistrationRequest<Plan>, actor: Person, now: Date): Transition<Plan> {
  if (actor.id !== request.requester.id) return { ok: false, refusal: { code: 'not-requester' } };
  if (request.state !== 'PendingApproval' && request.state !== 'Failed') return { ok: false, refusal: { code: 'not-pending', state: request.state } };
  return move(request, 'Cancelled', now, actor, { cancellation: { by: actor, at: now.toISOString() } });
}

/** The sweeper marks expired requests some time after the fact; a decision must not slip into that gap. */
function isPastExpiry(request: RegistrationRequest<unknown>, now: Date): boolean {
  return now.getTime() >= Date.parse(request.expiresAt);
}

export function expire<Plan>(request: RegistrationRequest<Plan>, now: Date): Transition<Plan> {
  if (request.state !== 'PendingApproval') return { ok: false, refusal: { code: 'not-pending', state: request.state } };
  if (now.getTime() < Date.parse(request.expiresAt)) return { ok: false, refusal: { code: 'not-expired' } };
  return move(request, 'Expired', now, undefined);
}

export function isDueForReminder(request: RegistrationRequest, now: Date, reminderAfterMs: number): boolean {
  return request.state === 'PendingApproval' && !request.reminderSentAt && now.getTime() - Date.parse(request.createdAt) >= reminderAfterMs;
}

/** Words for people: what each refusal means and what to do next. */
export function describeRefusal(refusal: TransitionRefusal): string {
  switch (refusal.code) {
    case 'not-pending':
      return `This request is no longer waiting for a decision: it is ${stateLabel(refusal.state).toLowerCase()}.`;
    case 'already-approved-by-you':
      return 'You have already approved this request; it needs another approver.';
    case 'reason-required':
      return 'Please give a reason for the rejection, so the requester knows what to change.';
    case 'not-requester':
      return 'Only the person who made this request can cancel it.';
    case 'not-expired':
      return 'This request has not expired yet.';
    case 'past-expiry':
      return `This request expired ${refusal.expiresAt.slice(0, 16).replace('T', ' ')} UTC without a decision, so it can no longer be approved or rejected. The requester can type it again if it is still needed.`;
    case 'illegal':
      return `A request that is ${stateLabel(refusal.from).toLowerCase()} cannot become ${stateLabel(refusal.to).toLowerCase()}.`;
  }
}

export function stateLabel(state: RequestState): string {
  const labels: Record<RequestState, string> = {
    PendingApproval: 'Pending approval', Approved: 'Approved', Provisioning: 'Provisioning', Provisioned: 'Provisioned',
    SecretDelivered: 'Done: secret delivered', Rejected: 'Rejected', Cancelled: 'Cancelled', Expired: 'Expired', Failed: 'Failed',
    Disabled: 'Disabled: sign-in off, removal due', Offboarded: 'Offboarded', Restored: 'Restored: sign-in on again',
  };
  return labels[state];
}

/** Provisioned → SecretDelivered: the requester revealed the value through the one-time link. */
export function recordSecretRevealed<Plan>(request: RegistrationRequest<Plan>, now: Date): Transition<Plan> {
  return move(request, 'SecretDelivered', now, undefined);
}

/** Provisioning: the saga's record on the request (see app/provisionRegistration.ts). */

export type ProvisioningRefusal =
  | { code: 'leased'; owner: string; until: string }
  | { code: 'lease-lost' }
  | { code: 'not-provisionable'; state: RequestState };

export type ProvisioningTransition<Plan> = { ok: true; request: RegistrationRequest<Plan> } | { ok: false; refusal: ProvisioningRefusal };

const leaseHeld = (lease: Lease | undefined, now: Date) => !!lease && Date.parse(lease.until) > now.getTime();

/**
 * Takes the lease to run (or resume) a saga: from Approved, which starts provisioning, or from
 * Provisioning whose lease has expired or is already ours. The store's compare-and-set makes one taker win.
 */
export function takeProvisioningLease<Plan>(request: RegistrationRequest<Plan>, owner: string, leaseMs: number, key: string, now: Date): ProvisioningTransition<Plan> {
  const lease = { owner, until: new Date(now.getTime() + leaseMs).toISOString() };
  if (request.lease && request.lease.owner !== owner && leaseHeld(request.lease, now)) return { ok: false, refusal: { code: 'leased', ...request.lease } };
  if (request.state === 'Provisioning') {
    return { ok: true, request: { ...request, lease, updatedAt: now.toISOString(), provisioning: request.provisioning ?? newRecord(key, 1, now) } };
  }
  if (request.state !== 'Approved') return { ok: false, refusal: { code: 'not-provisionable', state: request.state } };
  // A retry after Failed keeps what earlier attempts made: the same application is upserted again, never a second one.
  const previous = request.provisioning;
  const provisioning = previous ? { ...previous, attempt: previous.attempt + 1, startedAt: now.toISOString() } : newRecord(key, 1, now);
  const moved = move(request, 'Provisioning', now, undefined, { lease, provisioning, failure: undefined, progress: undefined });
  return moved.ok ? moved : { ok: false, refusal: { code: 'not-provisionable', state: request.state } };
}

function newRecord(key: string, attempt: number, now: Date): ProvisioningRecord {
  return { key, attempt, startedAt: now.toISOString(), steps: {} };
}

/** Applies a change made under our lease, and renews the lease; refused if the lease is no longer ours. */
export function underLease<Plan>(request: RegistrationRequest<Plan>, owner: string, leaseMs: number, now: Date, change: (record: ProvisioningRecord) => ProvisioningRecord, progress?: (record: ProvisioningRecord) => Progress): ProvisioningTransition<Plan> {
  if (request.state !== 'Provisioning' || !request.provisioning) return { ok: false, refusal: { code: 'not-provisionable', state: request.state } };
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const provisioning = change(request.provisioning);
  return {
    ok: true,
    request: {
      ...request, provisioning, progress: progress ? progress(provisioning) : request.progress,
      lease: { owner, until: new Date(now.getTime() + leaseMs).toISOString() }, updatedAt: now.toISOString(),
    },
  };
}

export function recordProvisioningStep<S extends ProvisioningStep>(record: ProvisioningRecord, step: S, result: ProvisioningResults[S], now: Date): ProvisioningRecord {
  return { ...record, steps: { ...record.steps, [step]: { ...result, at: now.toISOString() } } };
}

export function finishProvisioning<Plan>(request: RegistrationRequest<Plan>, owner: string, now: Date): ProvisioningTransition<Plan> {
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const provisioning = request.provisioning && { ...request.provisioning, completedAt: now.toISOString() };
  const moved = move(request, 'Provisioned', now, undefined, { lease: undefined, provisioning });
  return moved.ok ? moved : { ok: false, refusal: { code: 'not-provisionable', state: request.state } };
}

export function failProvisioning<Plan>(request: RegistrationRequest<Plan>, owner: string, failure: { message: string; retryable: boolean }, now: Date): ProvisioningTransition<Plan> {
  if (request.lease?.owner !== owner) return { ok: false, refusal: { code: 'lease-lost' } };
  const moved = move(request, 'Failed', now, undefined, { lease: undefined, failure: { at: now.toISOString(), ...failure } });
  return moved.ok ? moved : { ok: false, refusal: { code: 'not-provisionable', state: request.state } };
}

/** The Retry button: a retryable failure goes back to Approved, keeping the record of what exists. */
export function retryProvisioning<Plan>(request: RegistrationRequest<Plan>, actor: Person, now: Date): Transition<Plan> {
  if (request.state !== 'Failed' || request.failure?.retryable === false) return { ok: false, refusal: { code: 'illegal', from: request.state, to: 'Approved' } };
  return move(request, 'Approved', now, actor, { failure: undefined, progress: undefined });
}

/** Whether a sweeper should try to run this request's saga now. */
export function needsProvisioning(request: RegistrationRequest, now: Date): boolean {
  return (request.state === 'Approved' || request.state === 'Provisioning') && !leaseHeld(request.lease, now);
}
