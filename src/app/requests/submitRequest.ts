import { createHash } from 'node:crypto';
import { submitRequest, type Person, type RegistrationRequest } from '../../domain/request';
import { approvalsRequired, type PolicySettings } from '../../domain/policy';
import { AlreadyExistsError } from '../errors';
import type { Clock } from '../ports';
import type { AuditLog, DraftStore, RequestNotifier, RequestStore } from '../workflowPorts';
import type { Planner } from './planner';

export type SubmitResult =
  | { kind: 'submitted'; request: RegistrationRequest; delivered: number; where: 'channel' | 'approvers' | 'nowhere' }
  | { kind: 'already-submitted'; request: RegistrationRequest }
  | { kind: 'refused'; message: string };

export interface SubmitDeps {
  drafts: DraftStore;
  requests: RequestStore;
  audit: AuditLog;
  notifier: RequestNotifier;
  planner: Planner;
  policy: PolicySettings;
  expiryMs: number;
  clock: Clock;
}

/** Request ids people can read aloud: no 0/O or 1/I. Derived from the draft, so a double click finds one request. */
export function requestIdFor(draftId: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const digest = createHash('sha256').update(draftId).digest();
  return `REQ-${Array.from(digest.subarray(0, 8), (byte) => alphabet[byte % 32]).join('')}`;
}

/**
 * Submit for approval. The plan is rebuilt from the stored draft, never taken from the card, and
 * must hash to what the requester saw; then the request is stored and the approvers are told.
 */
export class SubmitRequest {
  constructor(private readonly deps: SubmitDeps) {}

  async execute(input: { draftId: string; planHash: string; actor: Person; correlationId: string }): Promise<SubmitResult> {
    const now = this.deps.clock.now();
    const draft = await this.deps.drafts.get(input.actor.id, input.draftId);
    const refuse = async (message: string, detail: string): Promise<SubmitResult> => {
      await this.deps.audit.append({ at: now.toISOString(), action: 'submit', outcome: 'refused', actor: input.actor, correlationId: input.correlationId, detail });
      return { kind: 'refused', message };
    };
    if (!draft) return refuse('I cannot find that preview. Type the request again to get a fresh one.', 'unknown-draft');
    const id = requestIdFor(draft.id);
    const existing = await this.deps.requests.get(id);
    if (existing) return { kind: 'already-submitted', request: existing.value };

    const outcome = this.deps.planner(draft.text, draft.inputs, draft.choices, draft.id);
    if (outcome.kind !== 'plan') return refuse(outcome.kind === 'problem' ? outcome.message : outcome.question, 'not-a-plan');
    if (outcome.missingInputs.length) return refuse(`Please fill in ${outcome.missingInputs.map((m) => m.label).join(', ')} first.`, 'missing-inputs');
    if (outcome.planHash !== input.planHash) return refuse('This preview is out of date: the plan changed. Check the newest preview and submit that one.', 'out-of-date');

    const request = submitRequest(
      { id, requester: input.actor, title: outcome.title, vendor: outcome.vendor, text: draft.text, plan: outcome.plan, planHash: outcome.planHash, risk: outcome.risk, requiredApprovals: approvalsRequired(outcome.risk, this.deps.policy), expiresAfterMs: this.deps.expiryMs, selfApprovalAllowed: this.deps.policy.allowSelfApproval || undefined },
      now,
    );
    try {
      await this.deps.requests.create(request);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const winner = await this.deps.requests.get(id);
      return { kind: 'already-submitted', request: winner!.value };
    }
    await this.deps.drafts.save({ ...draft, requestId: id });
    await this.deps.audit.append({ at: now.toISOString(), action: 'submitted', outcome: 'ok', actor: input.actor, requestId: id, planHash: request.planHash, correlationId: input.correlationId });
    const delivery = await this.deps.notifier.submitted(request);
    return { kind: 'submitted', request, ...delivery };
  }
}
