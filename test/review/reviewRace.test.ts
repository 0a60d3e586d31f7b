import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { TableOutbox } from '../../src/adapters/tables/tableOutbox';
import { SweepReviews } from '../../src/app/review/sweepReviews';
import type { PeopleDirectory } from '../../src/app/review/reviewPorts';
import { DeliverOutbox } from '../../src/app/delivery/deliverOutbox';
import { OutboxReviewCards } from '../../src/app/delivery/outboxReviewCards';
import type { DeliveryChannel } from '../../src/app/delivery/outbox';
import { silentLogger } from '../../src/logging';
import { AnswerReview } from '../../src/app/review/answerReview';
import { InMemoryMembership, ManualClock } from '../support/fakes';
import { testTables } from '../support/tables';
import { reviewedRequest } from './reviewCardSamples';

const DAY = 86_400_000;

/** Our own delivery port (the Teams side of the outbox), counting what each bot instance sent, to whom. */
class CountingChannel implements DeliveryChannel {
  readonly sent: string[] = [];
  async recipients() {
    return [{ kind: 'person' as const, userId: 'u-approver', name: 'An Approver' }];
  }
  async send(row: Parameters<DeliveryChannel['send']>[0]) {
    this.sent.push(`${row.kind === 'review' ? 'requester' : 'approvers'}:${row.requestId}`);
    return { kind: 'sent' as const };
  }
  async report() {}
}
const everyoneActive: PeopleDirectory = { accountStatus: async () => 'active' };

describe('the review sweep on two bot instances, and a double click, over one Table Storage account', () => {
  const tables = createTableClientFactory(testTables());
  const requests = new TableRequestStore(tables);
  const audit = new TableAuditLog(tables);
  const clock = new ManualClock(new Date('2026-09-01T12:00:00Z'));
  const settings = { intervalDays: 90, responseDays: 14 };
  const outbox = new TableOutbox(tables);
  // Each instance with its own outbox sender over the same table, as two bot processes have.
  const instance = (channel: CountingChannel) => new SweepReviews({
    requests, audit, clock, settings, people: everyoneActive,
    cards: new OutboxReviewCards(new DeliverOutbox({ outbox, requests, channel, clock, logger: silentLogger() }), { canReach: async () => true }),
  });

  it('sends each stage\'s card once, whichever instance wins the compare-and-set', async () => {
    const request = { ...reviewedRequest(), id: 'REQ-RACE01', review: undefined };
    await requests.create(request);
    const [a, b] = [new CountingChannel(), new CountingChannel()];
    await Promise.all([instance(a).execute(), instance(b).execute(), instance(a).execute(), instance(b).execute()]);
    expect([...a.sent, ...b.sent].filter((s) => s.endsWith('REQ-RACE01'))).toEqual(['requester:REQ-RACE01']);

    clock.advance(14 * DAY);
    await Promise.all([instance(a).execute(), instance(b).execute()]);
    expect([...a.sent, ...b.sent].filter((s) => s.startsWith('approvers:') && s.endsWith('REQ-RACE01'))).toHaveLength(1);
    expect((await audit.forRequest('REQ-RACE01')).map((e) => e.action).sort()).toEqual(['review.asked', 'review.escalated']);
  });

  it('an instance that dies between the stage write and the queueing loses no card: the next sweeps of two instances send it once', async () => {
    const request = { ...reviewedRequest(), id: 'REQ-RACE03', review: undefined };
    await requests.create(request);
    const dies = new SweepReviews({
      requests, audit, clock, settings, people: everyoneActive,
      cards: { enqueue: async () => { throw new Error('the process died here'); }, deliver: async () => undefined, canReach: async () => true },
    });
    await expect(dies.execute()).rejects.toThrow('the process died here');
    expect((await requests.get('REQ-RACE03'))!.value.review).toMatchObject({ stage: 'asked-requester', cardToQueue: true });

    const [a, b] = [new CountingChannel(), new CountingChannel()];
    await Promise.all([instance(a).execute(), instance(b).execute(), instance(a).execute(), instance(b).execute()]);
    expect([...a.sent, ...b.sent].filter((s) => s.endsWith('REQ-RACE03'))).toEqual(['requester:REQ-RACE03']);
    expect((await requests.get('REQ-RACE03'))!.value.review?.cardToQueue).toBeUndefined();
    expect((await audit.forRequest('REQ-RACE03')).map((e) => e.action)).toEqual(['review.asked']);
  });

  it('an instance that dies right after clearing the marker: the card still goes out once and the stage is audited once', async () => {
    const request = { ...reviewedRequest(), id: 'REQ-RACE04', review: undefined };
    await requests.create(request);
    // The marker's clear is written, then the process dies: nothing after it runs, and no later sweep redoes the stage.
    class DiesAfterClear extends TableRequestStore {
      override async update(r: Parameters<TableRequestStore['update']>[0], etag: string) {
        const saved = await super.update(r, etag);
        if (r.review && !r.review.cardToQueue) throw new Error('the process died here');
        return saved;
      }
    }
    const dies = new SweepReviews({
      requests: new DiesAfterClear(tables), audit, clock, settings, people: everyoneActive,
      cards: new OutboxReviewCards(new DeliverOutbox({ outbox, requests, channel: new CountingChannel(), clock, logger: silentLogger() }), { canReach: async () => true }),
    });
    await expect(dies.execute()).rejects.toThrow('the process died here');
    expect((await requests.get('REQ-RACE04'))!.value.review).toMatchObject({ stage: 'asked-requester' });

    // The marker is gone, so no review sweep redoes the stage: the card is the outbox's now, which either instance's
    // outbox sweeper sends.
    const [a, b] = [new CountingChannel(), new CountingChannel()];
    const outboxSweep = (channel: CountingChannel) => new DeliverOutbox({ outbox, requests, channel, clock, logger: silentLogger() }).run();
    await Promise.all([instance(a).execute(), instance(b).execute(), outboxSweep(a), outboxSweep(b)]);
    await Promise.all([outboxSweep(a), outboxSweep(b)]);
    expect([...a.sent, ...b.sent].filter((s) => s.endsWith('REQ-RACE04'))).toEqual(['requester:REQ-RACE04']);
    expect((await requests.get('REQ-RACE04'))!.value.review?.cardToQueue).toBeUndefined();
    expect((await audit.forRequest('REQ-RACE04')).map((e) => e.action)).toEqual(['review.asked']);
  });

  it('records one "Still needed" of two simultaneous clicks, and tells the other what happened', async () => {
    const request = { ...reviewedRequest(), id: 'REQ-RACE02' };
    await requests.create(request);
    const answer = new AnswerReview({
      requests, audit, clock, membership: new InMemoryMembership(), groups: {}, notifier: { submitted: async () => ({ delivered: 0, where: 'nowhere' }), changed: async () => undefined, reminded: async () => undefined },
      policy: { allowSelfApproval: false, highRiskApprovals: 2 }, expiryMs: 7 * DAY,
    });
    const click = () => answer.execute({ requestId: 'REQ-RACE02', answer: 'still-needed', actor: request.requester, correlationId: 'c' });
    const results = await Promise.all([click(), click()]);
    expect(results.filter((r) => r.kind === 'recorded')).toHaveLength(1);
    expect(results.find((r) => r.kind === 'refused')).toMatchObject({ message: expect.stringMatching(/answered this review at the same moment|not waiting for an answer now/) });
    expect((await audit.forRequest('REQ-RACE02')).filter((e) => e.action === 'review.still-needed' && e.outcome === 'ok')).toHaveLength(1);
  });
});
