import { CLAIM_MS, MAX_ATTEMPTS, isStale, isTakeable, newDelivery, newNotice, retryDelayMs, reviewDeliveries, summarize, summaryText, type Delivery } from '../../domain/delivery';
import type { RegistrationRequest } from '../../domain/request';
import { isConcurrencyConflict } from '../errors';
import type { Clock, Versioned } from '../ports';
import type { AuditLog, RequestStore } from '../workflowPorts';
import { REVIEW_ACTOR } from '../review/reviewPorts';
import type { DeliveryChannel, Outbox, SendOutcome } from './outbox';
import type { Logger } from '../../logging';

export interface DeliverOutboxDeps {
  outbox: Outbox;
  requests: RequestStore;
  channel: DeliveryChannel;
  clock: Clock;
  logger: Logger;
  /** Where a review card that could not be delivered is recorded (docs/review.md › Delivery); approval rows show in `status`. */
  audit?: AuditLog;
}

/** Rows one sweep takes at most; the next tick takes the rest. */
const SWEEP_LIMIT = 200;

/**
 * Sends what the outbox holds. Any instance may run it at any time (a kick right after a submit, a sweeper for
 * leftovers): a row is claimed by compare-and-set before it is sent, so two instances never both send it, and a
 * row whose claimant died is taken over once its claim lapses. One recipient's failure never stops another's.
 */
export class DeliverOutbox {
  constructor(private readonly deps: DeliverOutboxDeps) {}

  /** Queues `kind` for everyone it should reach; who that is is worked out when it is sent, off the click path. */
  async enqueue(request: RegistrationRequest, kind: 'approval' | 'reminder'): Promise<void> {
    await this.deps.outbox.enqueue([newDelivery(request.id, kind, { kind: 'fanout' }, this.deps.clock.now())]);
  }

  /** Queues a line of news for the conversation the request was made from. */
  async notice(request: RegistrationRequest, text: string): Promise<void> {
    await this.deps.outbox.enqueue([newNotice(request.id, text, this.deps.clock.now())]);
  }

  /** Queues the card of the request's current review stage; the same stage queued again is the same rows. */
  async enqueueReview(request: RegistrationRequest): Promise<void> {
    await this.deps.outbox.enqueue(reviewDeliveries(request, this.deps.clock.now()));
  }

  /** Sends what is due: for one request (the kick after enqueue), or for every request with due rows (the sweeper). */
  async run(requestId?: string): Promise<{ sent: number; unreachable: number; retrying: number }> {
    const ids = requestId ? [requestId] : [...new Set((await this.deps.outbox.due(this.deps.clock.now(), SWEEP_LIMIT)).map((r) => r.value.requestId))];
    const totals = { sent: 0, unreachable: 0, retrying: 0 };
    for (const id of ids) {
      const counts = await this.deliverRequest(id);
      totals.sent += counts.sent;
      totals.unreachable += counts.unreachable;
      totals.retrying += counts.retrying;
    }
    return totals;
  }

  /** What `status` shows: "Sent to 3 approvers (…), 1 unreachable (…)"; empty when nothing was queued. */
  async summaryLine(requestId: string): Promise<string> {
    return summaryText(summarize((await this.deps.outbox.forRequest(requestId)).map((r) => r.value)));
  }

  private async deliverRequest(requestId: string) {
    const counts = { sent: 0, unreachable: 0, retrying: 0 };
    const request = (await this.deps.requests.get(requestId))?.value;
    let rows = await this.deps.outbox.forRequest(requestId);
    const fanouts = rows.filter((r) => r.value.recipient.kind === 'fanout' && isTakeable(r.value, this.deps.clock.now()));
    let expanded = false;
    for (const fanout of fanouts) {
      const claimed = await this.claim(fanout);
      if (!claimed) continue;
      const kind = claimed.value.kind;
      if (!request || kind === 'notice' || isStale(claimed.value, request)) {
        await this.settle(claimed, 'skipped');
        continue;
      }
      const recipients = await this.deps.channel.recipients(request, kind);
      // Rows are keyed by recipient: resolving again after a crash finds the rows already there, so nobody gets two.
      await this.deps.outbox.enqueue(recipients.map((r) => newDelivery(requestId, kind, r, this.deps.clock.now(), claimed.value.reviewStageAt)));
      expanded = (await this.settle(claimed, 'sent')) || expanded;
    }
    if (fanouts.length) rows = await this.deps.outbox.forRequest(requestId);
    const now = this.deps.clock.now();
    const takeable = rows.filter((r) => r.value.recipient.kind !== 'fanout' && isTakeable(r.value, now));
    const outcomes = await Promise.all(takeable.map((row) => this.sendOne(row, request)));
    for (const outcome of outcomes) if (outcome) counts[outcome]++;
    // Only an approval row settling can change who has the request: a notice going out is no reason to tell it again.
    const approvalSettled = outcomes.some((o, i) => o && takeable[i].value.kind === 'approval');
    if ((expanded || approvalSettled) && request) await this.reportIfSettled(request, takeable.filter((_, i) => outcomes[i] === 'unreachable').map((r) => r.value));
    return counts;
  }

  private async sendOne(row: Versioned<Delivery>, request: RegistrationRequest | undefined): Promise<'sent' | 'unreachable' | 'retrying' | undefined> {
    const claimed = await this.claim(row);
    if (!claimed) return undefined;
    // A card sent after the decision (or after the review stage is over) would offer buttons that no longer apply; news stays news.
    if (!request || isStale(claimed.value, request)) return void (await this.settle(claimed, 'skipped'));
    const outcome: SendOutcome = await this.deps.channel.send(claimed.value, request).catch((error: Error) => ({ kind: 'retry' as const, reason: error.message }));
    if (outcome.kind === 'sent') return (await this.settle(claimed, 'sent')) ? 'sent' : undefined;
    if (outcome.kind === 'unreachable') return (await this.settle(claimed, 'unreachable', outcome.reason)) ? (await this.undelivered(claimed.value, request, outcome.reason), 'unreachable') : undefined;
    const attempts = claimed.value.attempts + 1;
    this.deps.logger.warn({ requestId: claimed.value.requestId, key: claimed.value.key, attempts, reason: outcome.reason }, 'delivery failed; will retry');
    if (attempts >= MAX_ATTEMPTS) return (await this.settle(claimed, 'failed', outcome.reason)) ? (await this.undelivered(claimed.value, request, `${outcome.reason}, after ${attempts} tries`), 'unreachable') : undefined;
    const retry: Delivery = { ...claimed.value, status: 'pending', attempts, lastError: outcome.reason, dueAt: new Date(this.deps.clock.now().getTime() + retryDelayMs(attempts)).toISOString() };
    await this.write(claimed, retry);
    return 'retrying';
  }

  private claim(row: Versioned<Delivery>): Promise<Versioned<Delivery> | undefined> {
    const until = new Date(this.deps.clock.now().getTime() + CLAIM_MS).toISOString();
    return this.write(row, { ...row.value, status: 'sending', dueAt: until });
  }

  private async settle(row: Versioned<Delivery>, status: Delivery['status'], lastError?: string): Promise<boolean> {
    return !!(await this.write(row, { ...row.value, status, ...(lastError ? { lastError } : {}) }));
  }

  /** undefined when another instance changed the row first: it is theirs now. */
  private async write(row: Versioned<Delivery>, next: Delivery): Promise<Versioned<Delivery> | undefined> {
    try {
      return await this.deps.outbox.update(next, row.etag);
    } catch (error) {
      if (isConcurrencyConflict(error)) return undefined;
      throw error;
    }
  }

  /**
   * A review card that will not arrive goes into the review's audit trail (the instance whose settle won writes it, so
   * once). The requester's says the approvers are asked when the response period ends, as for no answer.
   */
  private async undelivered(row: Delivery, request: RegistrationRequest, reason: string): Promise<void> {
    if (!this.deps.audit || (row.kind !== 'review' && row.kind !== 'review-escalation')) return;
    const who = row.recipient.kind === 'person' ? row.recipient.name : 'the approvals channel';
    const then = row.kind === 'review' ? '; the approvers are asked when the response period ends' : '';
    const now = this.deps.clock.now();
    await this.deps.audit.append({
      at: now.toISOString(), action: 'review.undelivered', outcome: 'failed', actor: REVIEW_ACTOR, requestId: request.id, planHash: request.planHash,
      correlationId: `review-${Date.parse(row.reviewStageAt ?? now.toISOString())}`, detail: `${who} could not be reached (${reason})${then}`.slice(0, 200),
    }).catch((error) => this.deps.logger.warn({ err: error, requestId: request.id }, 'could not record an undelivered review card'));
  }

  /** Once every approval row has settled, the requester's card says who has the request, and who could not be reached. */
  private async reportIfSettled(request: RegistrationRequest, newlyUnreachable: Delivery[]): Promise<void> {
    const rows = (await this.deps.outbox.forRequest(request.id)).map((r) => r.value).filter((r) => r.kind === 'approval');
    if (!rows.length || rows.some((r) => r.status === 'pending' || r.status === 'sending')) return;
    // Read again: a decision taken while the cards went out must not be painted over with the pending view.
    const now = (await this.deps.requests.get(request.id))?.value;
    if (now?.state !== 'PendingApproval') return;
    const names = newlyUnreachable.flatMap((r) => (r.recipient.kind === 'person' ? [r.recipient.name] : []));
    await this.deps.channel.report(now, summaryText(summarize(rows)), names).catch((error) => this.deps.logger.warn({ err: error, requestId: request.id }, 'could not tell the requester how delivery went'));
  }
}
