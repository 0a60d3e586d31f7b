import { enterStage, recordFollowUp, reviewStepDue, type ReviewSettings, type ReviewStep } from '../../domain/review';
import { createdApplicationOf } from '../../domain/appOrigin';
import type { RegistrationRequest } from '../../domain/request';
import { isConcurrencyConflict } from '../errors';
import type { OffboardRequester } from '../offboarding/offboardPorts';
import type { Clock, Versioned } from '../ports';
import type { AuditLog, RequestStore } from '../workflowPorts';
import type { InspectApp } from '../helpdesk/inspectApp';
import { REVIEW_ACTOR, type PeopleDirectory, type ReviewNotifier } from './reviewPorts';

export interface SweepReviewsDeps {
  requests: RequestStore;
  audit: AuditLog;
  clock: Clock;
  settings: ReviewSettings;
  people: PeopleDirectory;
  notifier: ReviewNotifier;
  inspect?: InspectApp;
  /** Absent until offboarding is wired: the proposal step then waits (and is logged), it never skips ahead. */
  offboard?: OffboardRequester;
}

export interface SweepResult {
  askedRequester: number;
  askedApprovers: number;
  proposed: number;
}

/**
 * Moves each due review one stage on. Every instance runs it: the stage is written by compare-and-set first, and
 * only the instance whose write won sends the card, so each stage's card goes out once.
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
      if (step.kind !== 'propose-offboard' && offboarding.has(createdApplicationOf(row.value)!.appId)) continue;
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
    if (step.kind === 'ask-requester') {
      const status = await this.deps.people.accountStatus(request.requester.id);
      if (status !== 'active') {
        const saved = await this.deps.requests.update(enterStage(request, 'asked-approvers', now, status), row.etag);
        await this.record(saved.value, 'review.escalated', `requester's account is ${status}: approvers asked`, now);
        await this.deps.notifier.toApprovers({ request: saved.value, inspection: await this.inspection(saved.value) }, 'requester-left');
        result.askedApprovers++;
        return;
      }
      const saved = await this.deps.requests.update(enterStage(request, 'asked-requester', now), row.etag);
      const reached = await this.deps.notifier.toRequester({ request: saved.value, inspection: await this.inspection(saved.value) });
      // Without a personal chat the card cannot reach them: the approvers are asked when the response period ends, as for no answer.
      await this.record(saved.value, 'review.asked', reached ? `review card sent to ${request.requester.name}` : `${request.requester.name} has no personal chat with Onboard; the approvers are asked after ${this.deps.settings.responseDays} days`, now);
      result.askedRequester++;
      return;
    }
    if (step.kind === 'ask-approvers') {
      const saved = await this.deps.requests.update(enterStage(request, 'asked-approvers', now), row.etag);
      await this.record(saved.value, 'review.escalated', 'no answer from the requester: approvers asked', now);
      await this.deps.notifier.toApprovers({ request: saved.value, inspection: await this.inspection(saved.value) }, 'no-answer');
      result.askedApprovers++;
      return;
    }
    if (!this.deps.offboard) return;
    const saved = request.review?.stage === 'proposed-offboard' ? row : await this.deps.requests.update(enterStage(request, 'proposed-offboard', now), row.etag);
    await this.propose(saved, now);
    result.proposed++;
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

  private async inspection(request: RegistrationRequest) {
    const app = createdApplicationOf(request);
    if (!app || !this.deps.inspect) return undefined;
    const outcome = await this.deps.inspect.execute({ target: app.appId, actor: { ...REVIEW_ACTOR, isApprover: false, isHelpdesk: true } }).catch(() => undefined);
    return outcome?.kind === 'found' ? outcome.inspection : undefined;
  }

  private record(request: RegistrationRequest, action: string, detail: string, now: Date, outcome: 'ok' | 'failed' = 'ok') {
    return this.deps.audit.append({ at: now.toISOString(), action, outcome, actor: REVIEW_ACTOR, requestId: request.id, planHash: request.planHash, correlationId: `review-${now.getTime()}`, detail: detail.slice(0, 200) });
  }
}
