import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { SweepReviews } from '../../src/app/review/sweepReviews';
import type { PeopleDirectory, ReviewNotifier, ReviewSubject } from '../../src/app/review/reviewPorts';
import { AnswerReview } from '../../src/app/review/answerReview';
import { InMemoryMembership, ManualClock } from '../support/fakes';
import { testTables } from '../support/tables';
import { reviewedRequest } from './reviewCardSamples';

const DAY = 86_400_000;

/** Our own notifier port, counting what each bot instance would have sent. */
class CountingNotifier implements ReviewNotifier {
  readonly sent: string[] = [];
  async toRequester(subject: ReviewSubject) {
    this.sent.push(`requester:${subject.request.id}`);
    return true;
  }
  async toApprovers(subject: ReviewSubject) {
    this.sent.push(`approvers:${subject.request.id}`);
    return 1;
  }
}
const everyoneActive: PeopleDirectory = { accountStatus: async () => 'active' };

describe('the review sweep on two bot instances, and a double click, over one Table Storage account', () => {
  const tables = createTableClientFactory(testTables());
  const requests = new TableRequestStore(tables);
  const audit = new TableAuditLog(tables);
  const clock = new ManualClock(new Date('2026-09-01T12:00:00Z'));
  const settings = { intervalDays: 90, responseDays: 14 };
  const instance = (notifier: ReviewNotifier) => new SweepReviews({ requests, audit, clock, settings, people: everyoneActive, notifier });

  it('sends each stage\'s card once, whichever instance wins the compare-and-set', async () => {
    const request = { ...reviewedRequest(), id: 'REQ-RACE01', review: undefined };
    await requests.create(request);
    const [a, b] = [new CountingNotifier(), new CountingNotifier()];
    await Promise.all([instance(a).execute(), instance(b).execute(), instance(a).execute(), instance(b).execute()]);
    expect([...a.sent, ...b.sent].filter((s) => s.endsWith('REQ-RACE01'))).toEqual(['requester:REQ-RACE01']);

    clock.advance(14 * DAY);
    await Promise.all([instance(a).execute(), instance(b).execute()]);
    expect([...a.sent, ...b.sent].filter((s) => s.startsWith('approvers:') && s.endsWith('REQ-RACE01'))).toHaveLength(1);
    expect((await audit.forRequest('REQ-RACE01')).map((e) => e.action).sort()).toEqual(['review.asked', 'review.escalated']);
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
