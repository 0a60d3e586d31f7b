import { createdApplicationOf } from './appOrigin';
import type { Person, RegistrationRequest } from './request';

/**
 * The periodic review of an app Onboard made (docs/review.md). Its state lives on the request that created the app,
 * so it is changed with the same compare-and-set as the request itself; these functions are pure.
 */
export type ReviewStage = 'asked-requester' | 'asked-approvers' | 'proposed-offboard';

export interface ReviewState {
  /** Start of the current review period: provisioning, or the last "Still needed". */
  since: string;
  /** Unset between reviews; set while somebody is asked (or the app was proposed for offboarding). */
  stage?: ReviewStage;
  /** When the current stage began: the response period counts from here. */
  stageAt?: string;
  /** Why the approvers were asked first: the requester's account is disabled or deleted. */
  requesterLeft?: 'disabled' | 'deleted';
  lastReviewed?: { at: string; by: Person };
  /** The request this review opened (offboarding or a reduction), once submitted. */
  followUp?: { kind: 'offboard' | 'reduce'; requestId?: string; at: string; by: Person };
  /**
   * Set with the stage, cleared by compare-and-set once the stage's card is in the outbox: an instance that died in
   * between leaves it set, and the next sweep queues the card (queueing is idempotent, so never twice).
   */
  cardToQueue?: true;
}

export interface ReviewSettings {
  intervalDays: number;
  responseDays: number;
}

const DAY = 86_400_000;
const days = (n: number) => n * DAY;

/** Only apps a request's own saga created are reviewed: not rotations or drift fixes, nor apps already handed to offboarding. */
export function isReviewable(request: RegistrationRequest): boolean {
  if (request.state !== 'Provisioned' && request.state !== 'SecretDelivered') return false;
  if (!createdApplicationOf(request)) return false;
  return request.review?.followUp?.kind !== 'offboard' && request.review?.stage !== 'proposed-offboard';
}

/** When the current period started: the app's provisioning, unless a review said "Still needed" since. */
export function reviewPeriodStart(request: RegistrationRequest): string {
  return request.review?.since ?? request.provisioning?.completedAt ?? request.updatedAt;
}

export function nextReviewDue(request: RegistrationRequest, settings: ReviewSettings): Date {
  return new Date(Date.parse(reviewPeriodStart(request)) + days(settings.intervalDays));
}

/** What the sweeper does next for this request at `now`, if anything. `requesterLeft` is asked only when it matters. */
export type ReviewStep = { kind: 'ask-requester' } | { kind: 'ask-approvers'; because: 'no-answer' | 'requester-left' } | { kind: 'propose-offboard' } | { kind: 'queue-card' };

export function reviewStepDue(request: RegistrationRequest, now: Date, settings: ReviewSettings): ReviewStep | undefined {
  const review = request.review;
  // The stage was written but its card never reached the outbox (the instance stopped in between): queue it now.
  if (review?.cardToQueue && review.stage && isReviewStageOpen(request, review.stage, review.stageAt)) return { kind: 'queue-card' };
  // A proposal written but never submitted (the instance stopped in between) is submitted on the next sweep.
  if (review?.stage === 'proposed-offboard' && !review.followUp && createdApplicationOf(request)) return { kind: 'propose-offboard' };
  if (!isReviewable(request)) return undefined;
  if (!review?.stage) return now >= nextReviewDue(request, settings) ? { kind: 'ask-requester' } : undefined;
  if (!review.stageAt || now.getTime() < Date.parse(review.stageAt) + days(settings.responseDays)) return undefined;
  if (review.stage === 'asked-requester') return { kind: 'ask-approvers', because: 'no-answer' };
  if (review.stage === 'asked-approvers') return { kind: 'propose-offboard' };
  return undefined;
}

/** The request with its review moved to `stage`: the sweeper writes it by compare-and-set, then (if it won) sends the card. */
export function enterStage(request: RegistrationRequest, stage: ReviewStage, now: Date, requesterLeft?: ReviewState['requesterLeft']): RegistrationRequest {
  const review: ReviewState = {
    since: reviewPeriodStart(request), lastReviewed: request.review?.lastReviewed, stage, stageAt: now.toISOString(), requesterLeft: requesterLeft ?? request.review?.requesterLeft,
    // The stages that ask someone have a card to queue; the proposal goes through offboarding's own approval instead.
    ...(stage === 'proposed-offboard' ? {} : { cardToQueue: true as const }),
  };
  return { ...request, review, updatedAt: now.toISOString() };
}

/** The request once its stage's card is in the outbox: written by compare-and-set; the winner records the audit event. */
export function cardQueued(request: RegistrationRequest): RegistrationRequest {
  if (!request.review?.cardToQueue) return request;
  const { cardToQueue: _queued, ...review } = request.review;
  return { ...request, review };
}

/** Review cards in the outbox, and the stage each belongs to. */
export type ReviewCardKind = 'review' | 'review-escalation';
export const REVIEW_CARD_STAGES: Record<ReviewCardKind, ReviewStage> = { review: 'asked-requester', 'review-escalation': 'asked-approvers' };

/**
 * Whether the stage that began at `stageAt` is still waiting for an answer: a card for it may go out. Not once
 * somebody answered (the stage is cleared, or offboarding chosen), nor once the review moved on to another stage.
 */
export function isReviewStageOpen(request: RegistrationRequest, stage: ReviewStage, stageAt: string | undefined): boolean {
  const review = request.review;
  if (request.state !== 'Provisioned' && request.state !== 'SecretDelivered') return false;
  if (stage === 'proposed-offboard' || !stageAt) return false;
  return review?.stage === stage && review.stageAt === stageAt && !review.followUp;
}

export type ReviewAnswer = 'still-needed' | 'offboard' | 'reduce';

export type ReviewRefusal = { code: 'not-asked' } | { code: 'already-answered'; followUp: NonNullable<ReviewState['followUp']>['kind'] };

/** An answer is taken only while somebody is asked; a second click (or an answer after the proposal) is refused. */
export function answerReview(request: RegistrationRequest, answer: ReviewAnswer, by: Person, now: Date): { ok: true; request: RegistrationRequest } | { ok: false; refusal: ReviewRefusal } {
  const review = request.review;
  if (review?.followUp?.kind === 'offboard') return { ok: false, refusal: { code: 'already-answered', followUp: 'offboard' } };
  if (review?.stage !== 'asked-requester' && review?.stage !== 'asked-approvers') return { ok: false, refusal: { code: 'not-asked' } };
  const at = now.toISOString();
  const lastReviewed = { at, by };
  // "Still needed" and a reduction both close this review and start a new period; the reduction itself goes through approval.
  const { cardToQueue: _unsent, ...asked } = review;
  // An answer closes the stage: a card not queued yet has nothing left to ask.
  const next: ReviewState = answer === 'offboard'
    ? { ...asked, lastReviewed, followUp: { kind: 'offboard', at, by } }
    : { since: at, lastReviewed, followUp: answer === 'reduce' ? { kind: 'reduce', at, by } : undefined };
  return { ok: true, request: { ...request, review: next, updatedAt: at } };
}

/** Records which request an answer (or the proposal) opened, so the card and `status` can name it. */
export function recordFollowUp(request: RegistrationRequest, kind: 'offboard' | 'reduce', requestId: string | undefined, by: Person, now: Date): RegistrationRequest {
  const review = request.review ?? { since: reviewPeriodStart(request) };
  return { ...request, review: { ...review, followUp: { kind, requestId, at: review.followUp?.at ?? now.toISOString(), by: review.followUp?.by ?? by } }, updatedAt: now.toISOString() };
}

const day = (iso: string) => iso.slice(0, 10);

/** One line for `status` and `check`: when it was reviewed and is due, or how overdue it is and who was asked. */
export function reviewLine(request: RegistrationRequest, now: Date, settings: ReviewSettings): string | undefined {
  if (request.state !== 'Provisioned' && request.state !== 'SecretDelivered') return undefined;
  if (!createdApplicationOf(request)) return undefined;
  const review = request.review;
  if (review?.stage === 'proposed-offboard') return `Review: nobody answered, so Onboard's review proposed offboarding on ${day(review.stageAt ?? '')}${review.followUp?.requestId ? ` (${review.followUp.requestId})` : ''}.`;
  if (review?.followUp?.kind === 'offboard') return `Review: offboarding chosen on ${day(review.followUp.at)}${review.followUp.requestId ? ` (${review.followUp.requestId})` : ''}.`;
  const last = review?.lastReviewed ? `last reviewed ${day(review.lastReviewed.at)} by ${review.lastReviewed.by.name}` : 'not reviewed yet';
  const due = nextReviewDue(request, settings);
  if (review?.stage === 'asked-approvers') return `Review overdue since ${day(due.toISOString())}: asked approvers on ${day(review.stageAt ?? '')}${review.requesterLeft ? ' (the requester has left)' : ''}; ${last}.`;
  if (review?.stage === 'asked-requester') return `Review overdue since ${day(due.toISOString())}: asked ${request.requester.name} on ${day(review.stageAt ?? '')}; ${last}.`;
  return `Review: ${last}; next review due ${day(due.toISOString())}${due <= now ? ' (due now)' : ''}.`;
}
