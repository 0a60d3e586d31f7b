/**
 * Delivery of one message to one recipient, as the outbox holds it. Pure: the clock comes in as a parameter.
 * A row is `pending` until sent; `sending` while one instance holds its claim; then `sent`, `unreachable`
 * (the connector said 403/404: blocked or removed), `skipped` (the request moved on first) or `failed` (retries spent).
 */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'unreachable' | 'skipped' | 'failed';

import { sha256Hex } from './canonicalJson';
import type { RegistrationRequest } from './request';
import { REVIEW_CARD_STAGES, isReviewStageOpen, type ReviewCardKind } from './review';

/**
 * `approval`: the request's card for deciding; `reminder`: a nudge and the card again; `notice`: a line of news about
 * the request (approved, provisioned, failed …) in the conversation it was made from; `review`: the periodic review's
 * card to the requester; `review-escalation`: the same card to the approvers (docs/review.md).
 */
export type DeliveryKind = 'approval' | 'reminder' | 'notice' | ReviewCardKind;

/**
 * `fanout` stands for "everyone this should reach": resolved into one row per recipient when it is sent.
 * `requester`: the conversation the request was made from, as the requester's card records it.
 */
export type Recipient = { kind: 'fanout' } | { kind: 'channel' } | { kind: 'requester' } | { kind: 'person'; userId: string; name: string };

export interface Delivery {
  requestId: string;
  /** Unique within the request, e.g. `approval:person:<userId>`: a second enqueue of the same message finds the row. */
  key: string;
  kind: DeliveryKind;
  recipient: Recipient;
  status: DeliveryStatus;
  attempts: number;
  /** When a pending row may next be tried, or when a `sending` claim lapses (its holder is presumed dead). */
  dueAt: string;
  createdAt: string;
  lastError?: string;
  /** A notice's words. */
  text?: string;
  /** A review card's stage began then (`review.stageAt`): the card belongs to that stage only. */
  reviewStageAt?: string;
}

/** What a notice may hold: Teams messages are far larger, but a notice is one line of news. */
export const MAX_NOTICE_CHARS = 4_000;

export const MAX_ATTEMPTS = 6;
/** How long a claim holds before another instance may take the row over: longer than any one send. */
export const CLAIM_MS = 60_000;

export function deliveryKey(kind: DeliveryKind, recipient: Recipient, reviewStageAt?: string): string {
  // A review stage is one card per recipient; the next cycle (90 days on) starts a stage at another time, so a new row.
  const scope = reviewStageAt ? `${kind}@${Date.parse(reviewStageAt)}` : kind;
  if (recipient.kind === 'person') return `${scope}:person:${recipient.userId}`;
  return `${scope}:${recipient.kind}`;
}

/**
 * A notice for the conversation the request was made from. Keyed by its words, so the same news enqueued again (a
 * notice row handed over twice, a retry after a crash) is one row and one message.
 */
export function newNotice(requestId: string, text: string, now: Date): Delivery {
  const words = text.slice(0, MAX_NOTICE_CHARS);
  return { ...newDelivery(requestId, 'notice', { kind: 'requester' }, now), key: `notice:${sha256Hex(words).slice(0, 24)}`, text: words };
}

/**
 * Whether a row's message would be out of date if sent now: approval cards and reminders once the request is decided,
 * a review card once its stage is over (answered, or the review moved on). News stays news.
 */
export function isStale(delivery: Pick<Delivery, 'kind' | 'reviewStageAt'>, request: RegistrationRequest): boolean {
  if (delivery.kind === 'notice') return false;
  if (delivery.kind === 'review' || delivery.kind === 'review-escalation') return !isReviewStageOpen(request, REVIEW_CARD_STAGES[delivery.kind], delivery.reviewStageAt);
  return request.state !== 'PendingApproval';
}

export function newDelivery(requestId: string, kind: DeliveryKind, recipient: Recipient, now: Date, reviewStageAt?: string): Delivery {
  return {
    requestId, key: deliveryKey(kind, recipient, reviewStageAt), kind, recipient, status: 'pending', attempts: 0, dueAt: now.toISOString(), createdAt: now.toISOString(),
    ...(reviewStageAt ? { reviewStageAt } : {}),
  };
}

/**
 * The rows that carry the card of the request's current review stage: the requester's personal chat, or (escalated)
 * a fan-out to where approval cards go, resolved when it is sent. Keyed by the stage's start, so queueing again is a no-op.
 */
export function reviewDeliveries(request: RegistrationRequest, now: Date): Delivery[] {
  const review = request.review;
  if (!review?.stageAt) return [];
  if (review.stage === 'asked-requester') return [newDelivery(request.id, 'review', { kind: 'person', userId: request.requester.id, name: request.requester.name }, now, review.stageAt)];
  if (review.stage === 'asked-approvers') return [newDelivery(request.id, 'review-escalation', { kind: 'fanout' }, now, review.stageAt)];
  return [];
}

/** Exponential backoff with a cap: 2 s, 4 s, 8 s … up to 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(300_000, 1_000 * 2 ** Math.max(1, attempts));
}

/** A row another instance may take now: pending and due, or claimed by a holder whose claim has lapsed. */
export function isTakeable(delivery: Delivery, now: Date): boolean {
  return (delivery.status === 'pending' || delivery.status === 'sending') && Date.parse(delivery.dueAt) <= now.getTime();
}

export interface DeliverySummary {
  channel: 'sent' | 'pending' | 'unreachable' | 'failed' | undefined;
  sent: string[];
  unreachable: string[];
  failed: string[];
  pending: number;
  /** True once every row is settled, and the fan-out found nobody to send to. */
  nobody: boolean;
}

export function summarize(rows: Delivery[]): DeliverySummary {
  const approval = rows.filter((r) => r.kind === 'approval');
  const people = approval.filter((r) => r.recipient.kind === 'person');
  const name = (r: Delivery) => (r.recipient.kind === 'person' ? r.recipient.name : '');
  const channelRow = approval.find((r) => r.recipient.kind === 'channel');
  const unsettled = approval.filter((r) => r.status === 'pending' || r.status === 'sending').length;
  return {
    channel: channelRow && channelRow.status !== 'skipped' ? (channelRow.status === 'sending' ? 'pending' : channelRow.status) : undefined,
    sent: people.filter((r) => r.status === 'sent').map(name),
    unreachable: people.filter((r) => r.status === 'unreachable').map(name),
    failed: people.filter((r) => r.status === 'failed').map(name),
    pending: unsettled,
    nobody: approval.length > 0 && unsettled === 0 && !channelRow && people.length === 0,
  };
}

/** One line a person reads: "Sent to 3 approvers (…), 1 unreachable (…)". Empty when nothing was queued. */
export function summaryText(summary: DeliverySummary): string {
  if (summary.channel === 'sent') return 'Posted to the approvers channel.';
  if (summary.channel === 'pending') return 'Posting to the approvers channel…';
  if (summary.channel) return 'Could not post to the approvers channel: Onboard was removed from that team or the channel is gone. Type "set approvals channel" in the channel again.';
  if (summary.nobody) return 'No approver could be reached yet: none of them has messaged Onboard, and no approvals channel is set. Ask an approver to message Onboard (they will be offered this request) or to type "set approvals channel" in their team channel.';
  const parts: string[] = [];
  if (summary.sent.length) parts.push(`Sent to ${count(summary.sent.length)} (${summary.sent.join(', ')})`);
  if (summary.unreachable.length) parts.push(`${summary.unreachable.length} unreachable (${summary.unreachable.join(', ')}: they blocked or removed Onboard)`);
  if (summary.failed.length) parts.push(`${summary.failed.length} not delivered after retries (${summary.failed.join(', ')})`);
  if (summary.pending) parts.push(`still sending to ${summary.pending}`);
  return parts.length ? `${parts.join(', ')}.` : '';
}

const count = (n: number) => `${n} approver${n === 1 ? '' : 's'}`;
