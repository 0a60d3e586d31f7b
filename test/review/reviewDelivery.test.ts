import type { AddressInfo } from 'node:net';
import type { LocalCloud } from '../../src/localcloud';
import { SEED } from '../../src/localcloud/seedIds';
import { verbs } from '../../src/teams/verbs';
import { enterStage } from '../../src/domain/review';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { TableOutbox } from '../../src/adapters/tables/tableOutbox';
import { startTestCloud } from '../localcloud/helpers';
import { FakeConnector, actionInvoke, personalMessage, type TeamsUser } from '../support/fakeConnector';
import { InMemoryMembership, ManualClock } from '../support/fakes';
import { composeForTest } from '../support/onboard';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { cardText, type Card } from '../support/teamsTurns';

const DAY = 86_400_000;
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const patti: TeamsUser = { id: '29:patti', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' };
/** Not in the directory any more (Graph answers 404): the approvers are asked at once. */
const former: TeamsUser = { id: '29:gone', aadObjectId: '9f9f9f9f-0000-4000-8000-0000000000a1', name: 'Former Employee' };

/**
 * Review cards go through the durable outbox (docs/review.md › Delivery): a connector failure or a crash after the
 * stage is written no longer loses the card, and one unreachable approver no longer stops the others.
 */
describe('review cards through the outbox: none lost to a crash or a connector failure', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
  // Three approvers (the seed has two): Megan, Adele and Patti.
  const membership = new InMemoryMembership({ [SEED.groups.approvers]: [megan.aadObjectId, adele.aadObjectId, patti.aadObjectId] });
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;
  let requests: TableRequestStore;
  let audit: TableAuditLog;
  let outbox: TableOutbox;
  let url: string;

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  const say = async (user: TeamsUser, text: string) => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post(personalMessage(connector.url, user, text, id));
    return connector.replyTo(id);
  };
  const reviewCardsTo = (user: TeamsUser, requestId: string) => connector.posts
    .filter((p) => p.method === 'POST' && p.path.includes(encodeURIComponent(`a:${user.aadObjectId}`)) && p.body.attachments?.length)
    .map((p) => p.body.attachments![0].content as Card)
    .filter((c) => cardText(c).includes('still needed?') && cardText(c).includes(`(${requestId})`));
  const provision = async (requester: TeamsUser) => {
    const stack = provisioningStack(endpointsOf(cloud, onboard.config.tables));
    const id = `REQ-${newRequestId().slice(1)}`;
    await approvedRequest(stack.requests, id, miradorePlan(id), { requester: { id: requester.aadObjectId, name: requester.name } });
    const provisioned = await stack.provision.execute({ requestId: id });
    if (provisioned.kind !== 'provisioned') throw new Error(`${provisioned.kind}: ${JSON.stringify((provisioned as { request?: { failure?: unknown } }).request?.failure)}`);
    return id;
  };
  /** Moves the clock so the request's app was provisioned `days` ago. */
  const age = async (id: string, days: number) => {
    const done = Date.parse((await requests.get(id))!.value.provisioning!.completedAt!);
    clock.advance(done + days * DAY - clock.now().getTime());
  };
  /** The outbox retries after its backoff: past the longest delay, then a sweep (twice: a retry may be due again). */
  const outboxRetries = async () => {
    clock.advance(5 * 60_000);
    await onboard.outboxSweeper.runOnce();
    clock.advance(5 * 60_000);
    await onboard.outboxSweeper.runOnce();
  };
  const audited = async (id: string, action: string) => (await audit.forRequest(id)).filter((e) => e.action === action);

  beforeAll(async () => {
    await connector.start();
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env, { clock, membership }, cloud.workerEnvironment());
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    const tables = createTableClientFactory(onboard.config.tables);
    requests = new TableRequestStore(tables);
    audit = new TableAuditLog(tables);
    outbox = new TableOutbox(tables);
    for (const user of [alex, megan, adele, patti]) await say(user, 'help');
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
    await stop();
  });

  it('the connector answers 500 to the first send of the requester\'s card: it still arrives, once, and review.asked is audited once', async () => {
    const id = await provision(alex);
    await age(id, 90);
    connector.refuse(`a:${alex.aadObjectId}`, 500);
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(alex, id)).toHaveLength(0);
    expect((await requests.get(id))!.value.review).toMatchObject({ stage: 'asked-requester' });

    connector.accept(`a:${alex.aadObjectId}`);
    await outboxRetries();
    await onboard.reviewSweeper!.runOnce();
    await outboxRetries();
    expect(reviewCardsTo(alex, id)).toHaveLength(1);
    expect(await audited(id, 'review.asked')).toHaveLength(1);
    // The approvers are asked only when the requester did not answer, not because a send failed.
    expect(reviewCardsTo(megan, id)).toHaveLength(0);
  });

  it('the bot dies after writing the stage and before the card is queued: the next sweep sends it, exactly once', async () => {
    const id = await provision(alex);
    await age(id, 90);
    // What a bot that died right after its compare-and-set leaves behind: the stage written, nothing queued or sent.
    const row = (await requests.get(id))!;
    await requests.update(enterStage(row.value, 'asked-requester', clock.now()), row.etag);

    await onboard.reviewSweeper!.runOnce();
    await onboard.reviewSweeper!.runOnce();
    await outboxRetries();
    expect(reviewCardsTo(alex, id)).toHaveLength(1);
    expect(await audited(id, 'review.asked')).toHaveLength(1);
  });

  it('escalates to three approvers where one answers 403: the other two still get the card, and the unreachable one is recorded', async () => {
    connector.refuse(`a:${megan.aadObjectId}`, 403);
    try {
      const id = await provision(former);
      await age(id, 90);
      await onboard.reviewSweeper!.runOnce();
      await outboxRetries();
      expect(reviewCardsTo(adele, id)).toHaveLength(1);
      expect(reviewCardsTo(patti, id)).toHaveLength(1);
      expect(cardText(reviewCardsTo(adele, id)[0])).toContain('Former Employee, who asked for Miradore');
      const rows = (await outbox.forRequest(id)).map((r) => r.value).filter((r) => r.recipient.kind === 'person');
      expect(rows.map((r) => [r.recipient.kind === 'person' && r.recipient.name, r.status]).sort()).toEqual([
        ['Adele Vance', 'sent'], ['Megan Bowen', 'unreachable'], ['Patti Fernandez', 'sent'],
      ]);
      expect(await audited(id, 'review.escalated')).toHaveLength(1);
      // The audit trail says who the card could not reach, and why.
      expect((await audited(id, 'review.undelivered')).map((e) => [e.outcome, e.detail])).toEqual([['failed', expect.stringMatching(/^Megan Bowen could not be reached \(connector answered 403\)/)]]);
    } finally {
      connector.accept(`a:${megan.aadObjectId}`);
    }
  });

  it('a requester who blocked Onboard (403) is not retried; the audit says so, and the approvers are asked when the response period ends', async () => {
    connector.refuse(`a:${alex.aadObjectId}`, 403);
    try {
      const id = await provision(alex);
      await age(id, 90);
      await onboard.reviewSweeper!.runOnce();
      await outboxRetries();
      expect(reviewCardsTo(alex, id)).toHaveLength(0);
      expect((await audited(id, 'review.undelivered')).map((e) => e.detail)).toEqual([expect.stringContaining('Alex Wilber could not be reached (connector answered 403); the approvers are asked when the response period ends')]);
      await age(id, 104);
      await onboard.reviewSweeper!.runOnce();
      expect(reviewCardsTo(adele, id)).toHaveLength(1);
    } finally {
      connector.accept(`a:${alex.aadObjectId}`);
    }
  });

  it('the requester answers Still needed before the retried card goes out: the stale card is skipped', async () => {
    const id = await provision(alex);
    await age(id, 90);
    connector.refuse(`a:${alex.aadObjectId}`, 503);
    await onboard.reviewSweeper!.runOnce();
    const answered = await post(actionInvoke(connector.url, alex, verbs.reviewStillNeeded, { requestId: id }, 'review-early'));
    expect(cardText(answered!.value)).toContain('Recorded: Miradore is still needed.');

    connector.accept(`a:${alex.aadObjectId}`);
    await outboxRetries();
    expect(reviewCardsTo(alex, id)).toHaveLength(0);
    const rows = (await outbox.forRequest(id)).map((r) => r.value);
    expect(rows.map((r) => r.status)).toEqual(['skipped']);
  });
});
