import { createHash } from 'node:crypto';
import { submitRequest, type Person, type RegistrationRequest } from '../../domain/request';
import { planFingerprint, type RegistrationPlan } from '../../domain/plan';
import { approvalsRequired, type PolicySettings } from '../../domain/policy';
import { AlreadyExistsError } from '../errors';
import type { Clock } from '../ports';
import type { AuditLog, DraftStore, RequestNotifier, RequestStore } from '../workflowPorts';
import type { Planner } from './planner';
import type { ExistingApp, FindDuplicates } from './findDuplicates';

export type SubmitResult =
  | { kind: 'submitted'; request: RegistrationRequest; delivered: number; where: 'channel' | 'approvers' | 'nowhere'; notified?: string[]; unreachable?: number }
  | { kind: 'already-submitted'; request: RegistrationRequest }
  /** The app exists in the tenant already: the requester confirms a second one (the `secondApp` input) or stops. */
  | { kind: 'confirm-duplicate'; existing: ExistingApp[]; message: string }
  /** The very same registration already waits for approval: nothing new is stored. */
  | { kind: 'duplicate-pending'; request: RegistrationRequest; message: string }
  | { kind: 'refused'; message: string; code?: 'justification' };

/** "A few words": enough that an approver learns something, not an essay. */
const MIN_JUSTIFICATION = 5;

export interface SubmitDeps {
  drafts: DraftStore;
  requests: RequestStore;
  audit: AuditLog;
  notifier: RequestNotifier;
  planner: Planner;
  policy: PolicySettings;
  expiryMs: number;
  clock: Clock;
  /** Apps already in the tenant; absent without Microsoft Graph, and then nothing is checked. */
  duplicates?: FindDuplicates;
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
    const justification = (draft.inputs.justification ?? '').trim().replace(/\s+/g, ' ').slice(0, 500);
    if (justification.length < MIN_JUSTIFICATION) {
      await this.deps.audit.append({ at: now.toISOString(), action: 'submit', outcome: 'refused', actor: input.actor, correlationId: input.correlationId, detail: 'no-justification' });
      return { kind: 'refused', code: 'justification', message: 'Say in a few words why this app is needed: the approvers read it before they decide.' };
    }
    const same = await this.identicalPending(outcome.plan);
    if (same) {
      const message = `The same registration already waits for approval as ${same.id} (asked by ${same.requester.name}), so nothing new was submitted. Type **status ${same.id}** to follow it.`;
      await this.deps.audit.append({ at: now.toISOString(), action: 'submit', outcome: 'refused', actor: input.actor, requestId: same.id, correlationId: input.correlationId, detail: 'duplicate-pending' });
      return { kind: 'duplicate-pending', request: same, message };
    }
    const inTenant = this.deps.duplicates ? await this.deps.duplicates.execute(outcome.plan) : [];
    if (inTenant.length && draft.inputs.secondApp !== 'yes') {
      const names = inTenant.map((a) => `${a.displayName} (${a.appId})`).join(', ');
      return { kind: 'confirm-duplicate', existing: inTenant, message: `${outcome.plan.vendorId === 'custom' ? outcome.title : outcome.plan.vendor} already exists in this tenant: ${names}. Register a second one? Tick the box to go on.` };
    }

    const request = submitRequest(
      { id, requester: input.actor, title: outcome.title, vendor: outcome.vendor, text: draft.text, justification, plan: outcome.plan, planHash: outcome.planHash, risk: outcome.risk, requiredApprovals: approvalsRequired(outcome.risk, this.deps.policy), expiresAfterMs: this.deps.expiryMs, selfApprovalAllowed: this.deps.policy.allowSelfApproval || undefined },
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
    const second = inTenant.length ? ` Confirmed a second app beside ${inTenant.map((a) => a.appId).join(', ')}.` : '';
    await this.deps.audit.append({ at: now.toISOString(), action: 'submitted', outcome: 'ok', actor: input.actor, requestId: id, planHash: request.planHash, correlationId: input.correlationId, detail: `Why: ${justification}${second}` });
    const delivery = await this.deps.notifier.submitted(request);
    return { kind: 'submitted', request, ...delivery };
  }

  /** A request for the very same registration that still waits for a decision. */
  private async identicalPending(plan: RegistrationPlan): Promise<RegistrationRequest | undefined> {
    const fingerprint = planFingerprint(plan);
    const pending = await this.deps.requests.listInStates(['PendingApproval']);
    return pending.map((p) => p.value).find((r) => !r.rotation && (r.plan as RegistrationPlan)?.vendorId === plan.vendorId && planFingerprint(r.plan as RegistrationPlan) === fingerprint);
  }
}
