/**
 * The registration request: one aggregate, persisted as a whole and changed only through these
 * pure transitions. The store applies each result with compare-and-set, so two clicks can never
 * both win. Draft is the preview card itself; a request is stored from PendingApproval on.
 */
export type RequestState = 'PendingApproval' | 'Approved' | 'Provisioning' | 'Provisioned' | 'SecretDelivered' | 'Rejected' | 'Cancelled' | 'Expired' | 'Failed';
export type RiskTier = 'low' | 'medium' | 'high';

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
  plan: Plan;
  planHash: string;
  risk: RiskTier;
  requiredApprovals: number;
  approvals: Decision[];
  rejection?: Decision;
  cancellation?: Decision;
  failure?: { at: string; message: string; retryable: boolean };
  progress?: Progress;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  reminderSentAt?: string;
  /** Set when the local profile lets a requester approve their own request; the cards say so. */
  selfApprovalAllowed?: boolean;
  history: { at: string; from?: RequestState; to: RequestState; by?: string }[];
}

export type TransitionRefusal =
  | { code: 'not-pending'; state: RequestState }
  | { code: 'already-approved-by-you' }
  | { code: 'reason-required' }
  | { code: 'not-requester' }
  | { code: 'not-expired' }
  | { code: 'illegal'; from: RequestState; to: RequestState };

export type Transition<Plan> = { ok: true; request: RegistrationRequest<Plan> } | { ok: false; refusal: TransitionRefusal };

const legal: Record<RequestState, RequestState[]> = {
  PendingApproval: ['Approved', 'Rejected', 'Cancelled', 'Expired'],
  Approved: ['Provisioning', 'Failed'],
  Provisioning: ['Provisioned', 'Failed'],
  Provisioned: ['SecretDelivered'],
  SecretDelivered: [],
  Rejected: [],
  Cancelled: [],
  Expired: [],
  Failed: ['Approved', 'Cancelled'],
};

export function isTerminal(state: RequestState): boolean {
  return legal[state].length === 0;
}

function move<Plan>(request: RegistrationRequest<Plan>, to: RequestState, at: Date, by: Person | undefined, change: Partial<RegistrationRequest<Plan>> = {}): Transition<Plan> {
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
  if (request.approvals.some((a) => a.by.id === approver.id)) return { ok: false, refusal: { code: 'already-approved-by-you' } };
  const approvals = [...request.approvals, { by: approver, at: now.toISOString() }];
  if (approvals.length < request.requiredApprovals) {
    return { ok: true, request: { ...request, approvals, updatedAt: now.toISOString() } };
  }
  return move(request, 'Approved', now, approver, { approvals });
}

export function reject<Plan>(request: RegistrationRequest<Plan>, approver: Person, reason: string, now: Date): Transition<Plan> {
  if (request.state !== 'PendingApproval') return { ok: false, refusal: { code: 'not-pending', state: request.state } };
  if (!reason.trim()) return { ok: false, refusal: { code: 'reason-required' } };
  return move(request, 'Rejected', now, approver, { rejection: { by: approver, at: now.toISOString(), reason: reason.trim() } });
}

export function cancel<Plan>(request: RegistrationRequest<Plan>, actor: Person, now: Date): Transition<Plan> {
  if (actor.id !== request.requester.id) return { ok: false, refusal: { code: 'not-requester' } };
  if (request.state !== 'PendingApproval' && request.state !== 'Failed') return { ok: false, refusal: { code: 'not-pending', state: request.state } };
  return move(request, 'Cancelled', now, actor, { cancellation: { by: actor, at: now.toISOString() } });
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
    case 'illegal':
      return `A request that is ${stateLabel(refusal.from).toLowerCase()} cannot become ${stateLabel(refusal.to).toLowerCase()}.`;
  }
}

export function stateLabel(state: RequestState): string {
  const labels: Record<RequestState, string> = {
    PendingApproval: 'Pending approval', Approved: 'Approved', Provisioning: 'Provisioning', Provisioned: 'Provisioned',
    SecretDelivered: 'Done: secret delivered', Rejected: 'Rejected', Cancelled: 'Cancelled', Expired: 'Expired', Failed: 'Failed',
  };
  return labels[state];
}
