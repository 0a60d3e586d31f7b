import { cardQueued, enterStage, recordFollowUp, reviewStepDue, type ReviewSettings, type ReviewStep } from '../../domain/review';
import { createdApplicationOf } from '../../domain/appOrigin';
import type { RegistrationRequest } from '../../domain/request';
import { isConcurrencyConflict } from '../errors';
import type { OffboardRequester } from '../offboarding/offboardPorts';
import type { Clock, Versioned } from '../ports';
import type { AuditLog, RequestStore } from '../workflowPorts';
import { REVIEW_ACTOR, type PeopleDirectory, type ReviewCardQueue } from './reviewPorts';

export interface SweepReviewsDeps {
  requests: RequestStore;
  audit: AuditLog;
  clock: Clock;
  settings: ReviewSettings;
  people: PeopleDirectory;
  cards: ReviewCardQueue;
  /** Absent until offboarding is wired: the proposal step then waits (and is logged), it never skips ahead. */
  offboard?: OffboardRequester;
}

export interface SweepResult {
  askedRequester: number;
  askedApprovers: number;
  proposed: number;
}

/**
 * Moves each due review one stage on. Every instance runs it: the stage is written by compare-and-set first, with a
 * "card to queue" marker; the card then goes into the outbox (keyed by stage and recipient, so one row each however
 * often it is queued) and the marker is cleared by compare-and-set. A crash in between leaves the marker, and the next
 * sweep queues the card. The outbox sends it, retries it, and skips it once the stage is over.
 */
export class SweepReviews {
  constructor(private readonly deps: SweepReviewsDeps) {}

  async execute(): Promise<SweepResult> {
    const result: SweepResult = { askedRequester: 0, askedApprovers: 0, proposed: 0 };
    const now = this.deps.clock.now();
    const offboarding = await this.beingOffboarded();
    for (const row of await this.deps.requests.listInStates(['Provisioned', 'SecretDelivered'])) {
      const step = reviewStepDue(row.value, now, this.deps.settings);
      if (!step) continue;
      // An app someone already asked to offboard (in chat, or through an earlier review) is not reviewed meanwhile.
      if (step.kind !== 'propose-offboard' && offboarding.has(createdApplicationOf(row.value)!.appId.toLowerCase())) continue;
      try {
        await this.advance(row, step, now, result);
      } catch (error) {
        // Another instance (or an answer) changed the row first: it owns this stage.
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
    return result;
  }

  private async advance(row: Versioned<RegistrationRequest>, step: ReviewStep, now: Date, result: SweepResult): Promise<void> {
    const request = row.value;
    if (step.kind === 'queue-card') {
      await this.queueCard(row, now);
      return;
    }
    if (step.kind === 'ask-requester') {
      const status = await this.deps.people.accountStatus(request.requester.id);
      // A requester who has left cannot answer: the approvers are asked at once instead.
      const next = status === 'active' ? enterStage(request, 'asked-requester', now) : enterStage(request, 'asked-approvers', now, status);
      await this.queueCard(await this.deps.requests.update(next, row.etag), now);
      if (status === 'active') result.askedRequester++;
      else result.askedApprovers++;
      return;
    }
    if (step.kind === 'ask-approvers') {
      await this.queueCard(await this.deps.requests.update(enterStage(request, 'asked-approvers', now), row.etag), now);
      result.askedApprovers++;
      return;
    }
    if (!this.deps.offboard) return;
    const saved = request.review?.stage === 'proposed-offboard' ? row : await this.deps.requests.update(enterStage(request, 'proposed-offboard', now), row.etag);
    await this.propose(saved, now);
    result.proposed++;
  }

  /**
   * Queues the stage's card and audits the stage, both keyed by the stage (so redoing them is a no-op), then clears
   * the marker by compare-and-set. A crash anywhere before the clear leaves the marker, and the next sweep (this
   * instance or another) redoes both: one card row per recipient and one `review.asked` / `review.escalated` line
   * per stage, whoever finishes it. Then it sends straight away; the outbox's sweeper retries whatever failed.
   */
  private async queueCard(saved: Versioned<RegistrationRequest>, now: Date): Promise<void> {
    const request = saved.value;
    const review = request.review!;
    await this.deps.cards.enqueue(request);
    const once = `${review.stageAt}-${review.stage}`;
    if (review.stage === 'asked-requester') {
      const reachable = await this.deps.cards.canReach(request.requester.id);
      // Without a personal chat the card cannot reach them: the approvers are asked when the response period ends, as for no answer.
      await this.record(request, 'review.asked', reachable ? `review card queued for ${request.requester.name}` : `${request.requester.name} has no personal chat with Onboard; the approvers are asked after ${this.deps.settings.responseDays} days`, now, 'ok', once);
    } else {
      await this.record(request, 'review.escalated', review.requesterLeft ? `requester's account is ${review.requesterLeft}: approvers asked` : 'no answer from the requester: approvers asked', now, 'ok', once);
    }
    await this.deps.requests.update(cardQueued(request), saved.etag);
    await this.deps.cards.deliver(request.id);
  }

  /** Through the normal approval; offboarding answers "already submitted" for a repeat, so a retry never makes two. */
  private async propose(saved: Versioned<RegistrationRequest>, now: Date): Promise<void> {
    const app = createdApplicationOf(saved.value)!;
    const outcome = await this.deps.offboard!.execute({ target: app.appId, actor: REVIEW_ACTOR, correlationId: `review-${now.getTime()}`, proposedByReview: true });
    if (outcome.kind === 'submitted' || outcome.kind === 'already-submitted') {
      await this.deps.requests.update(recordFollowUp(saved.value, 'offboard', outcome.request.id, REVIEW_ACTOR, now), saved.etag);
      await this.record(saved.value, 'review.proposed-offboard', `nobody answered: offboarding proposed as ${outcome.request.id}`, now);
    } else {
      const why = outcome.kind === 'refused' ? outcome.message : 'several apps match';
      // Recorded without a request, so the sweep does not propose it again every hour; the approvers see it in `reviews`.
      await this.deps.requests.update(recordFollowUp(saved.value, 'offboard', undefined, REVIEW_ACTOR, now), saved.etag);
      await this.record(saved.value, 'review.proposed-offboard', `offboarding could not be proposed: ${why}`, now, 'failed');
    }
  }

  /** The apps an offboard request is open for, or has offboarded; one that was called off (Restored) is reviewed again. */
  private async beingOffboarded(): Promise<Set<string>> {
    const rows = await this.deps.requests.listInStates(['PendingApproval', 'Approved', 'Provisioning', 'Disabled', 'Offboarded']);
    return new Set(rows.flatMap(({ value }) => (value.work?.kind === 'offboard' ? [value.work.body.target.appId.toLowerCase()] : [])));
  }

  /** `once`: a key that makes the line idempotent, for steps a later sweep may redo. */
  private record(request: RegistrationRequest, action: string, detail: string, now: Date, outcome: 'ok' | 'failed' = 'ok', once?: string) {
    const event = { at: now.toISOString(), action, outcome, actor: REVIEW_ACTOR, requestId: request.id, planHash: request.planHash, correlationId: `review-${now.getTime()}`, detail: detail.slice(0, 200) };
    return once ? this.deps.audit.appendOnce(event, once) : this.deps.audit.append(event);
  }
}
