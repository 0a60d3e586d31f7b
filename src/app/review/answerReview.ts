import { answerReview, recordFollowUp, type ReviewAnswer } from '../../domain/review';
import { createdApplicationOf } from '../../domain/appOrigin';
import type { PolicySettings } from '../../domain/policy';
import type { Person, RegistrationRequest } from '../../domain/request';
import { resolveActor, type Groups } from '../approvals/actors';
import { isConcurrencyConflict } from '../errors';
import type { Clock } from '../ports';
import type { OffboardRequester } from '../offboarding/offboardPorts';
import type { AuditLog, Membership, RequestNotifier, RequestStore } from '../workflowPorts';
import type { InspectApp } from '../helpdesk/inspectApp';
import { requestReduction } from './requestReduction';

export interface AnswerReviewDeps {
  requests: RequestStore;
  audit: AuditLog;
  membership: Membership;
  groups: Groups;
  clock: Clock;
  notifier: RequestNotifier;
  policy: PolicySettings;
  expiryMs: number;
  inspect?: InspectApp;
  offboard?: OffboardRequester;
}

export interface AnswerInput {
  requestId: string;
  answer: ReviewAnswer;
  actor: Person;
  correlationId: string;
  /** For "reduce": the permissions chosen on the card (requestReduction.permissionKey). */
  remove?: string[];
}

export type AnswerResult =
  | { kind: 'recorded'; request: RegistrationRequest; message: string }
  | { kind: 'refused'; message: string };

/**
 * A review card's answer. The requester or an approver may answer while the review asks; the answer is written by
 * compare-and-set, so of two clicks one is recorded and the other is told what was decided.
 */
export class AnswerReview {
  constructor(private readonly deps: AnswerReviewDeps) {}

  async execute(input: AnswerInput): Promise<AnswerResult> {
    const now = this.deps.clock.now();
    const audit = (outcome: 'ok' | 'refused', detail: string, request?: RegistrationRequest) => this.deps.audit.append({
      at: now.toISOString(), action: `review.${input.answer}`, outcome, actor: input.actor, requestId: input.requestId, planHash: request?.planHash, correlationId: input.correlationId, detail: detail.slice(0, 200),
    });
    const refuse = async (message: string, request?: RegistrationRequest): Promise<AnswerResult> => {
      await audit('refused', message, request);
      return { kind: 'refused', message };
    };
    const current = await this.deps.requests.get(input.requestId);
    const app = current && createdApplicationOf(current.value);
    if (!current || !app) return refuse(`I cannot find a review for ${input.requestId}. Type **reviews** (approvers) or **status ${input.requestId}** to look again.`);
    const actor = await resolveActor(input.actor, this.deps.membership, this.deps.groups);
    if (actor.id !== current.value.requester.id && !actor.isApprover) return refuse('Only the person who asked for this app, or an Onboard approver, can answer its review.', current.value);
    const answered = answerReview(current.value, input.answer, input.actor, now);
    if (!answered.ok) return refuse(answered.refusal.code === 'not-asked' ? `The review of ${current.value.title} is not waiting for an answer now. Type **status ${current.value.id}** to see it.` : `Offboarding of ${current.value.title} was already chosen.`, current.value);

    let followUp: string | undefined;
    let message = '';
    if (input.answer === 'still-needed') message = `Recorded: ${current.value.title} is still needed. Onboard asks again after the next review period.`;
    if (input.answer === 'offboard') {
      if (!this.deps.offboard) return refuse('Offboarding is not available in this Onboard yet. Ask an admin to disable the app by hand.', current.value);
      const outcome = await this.deps.offboard.execute({ target: app.appId, actor: input.actor, correlationId: input.correlationId });
      if (outcome.kind === 'refused') return refuse(outcome.message, current.value);
      if (outcome.kind === 'ambiguous') return refuse('Several apps match this one; type **offboard [Application ID]** to choose.', current.value);
      followUp = outcome.request.id;
      message = `Offboarding requested as ${followUp}: the approvers decide on it.`;
    }
    if (input.answer === 'reduce') {
      const outcome = this.deps.inspect && (await this.deps.inspect.execute({ target: app.appId, actor }));
      if (!outcome || outcome.kind !== 'found') return refuse(`I cannot read ${current.value.title} in the directory now, so I cannot tell what it holds. Try again later.`, current.value);
      const reduced = await requestReduction(this.deps, { inspection: outcome.inspection, chosen: input.remove ?? [], actor: input.actor, madeBy: current.value.id });
      if (reduced.kind === 'refused') return refuse(reduced.message, current.value);
      followUp = reduced.request.id;
      message = `Removal requested as ${followUp}: the approvers decide on it. The app keeps its permissions until then.`;
    }
    try {
      const change = followUp ? recordFollowUp(answered.request, input.answer as 'offboard' | 'reduce', followUp, input.actor, now) : answered.request;
      const saved = await this.deps.requests.update(change, current.etag);
      await audit('ok', followUp ? `${message}` : 'still needed: the review period starts again', saved.value);
      return { kind: 'recorded', request: saved.value, message };
    } catch (error) {
      if (!isConcurrencyConflict(error)) throw error;
      return refuse(`Someone answered this review at the same moment. Type **status ${current.value.id}** to see what was recorded.`, current.value);
    }
  }
}
