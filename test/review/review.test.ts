import type { AddressInfo } from 'node:net';
import type { LocalCloud } from '../../src/localcloud';
import type { OffboardInput, OffboardRequester } from '../../src/app/offboarding/offboardPorts';
import { verbs } from '../../src/teams/verbs';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { startTestCloud } from '../localcloud/helpers';
import { FakeConnector, actionInvoke, personalMessage, type TeamsUser } from '../support/fakeConnector';
import { ManualClock } from '../support/fakes';
import { composeForTest } from '../support/onboard';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { cardText, type Card } from '../support/teamsTurns';

const DAY = 86_400_000;
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const isaiah: TeamsUser = { id: '29:isaiah', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' };
const patti: TeamsUser = { id: '29:patti', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' };

type Execute = { type: string; title: string; verb?: string; data?: Record<string, string> };
const executes = (card: Card) => ((card.actions ?? []) as Execute[]).filter((a) => a.type === 'Action.Execute');

/**
 * Offboarding itself is the offboard helper's (app/offboarding); the review only calls its port. Until it is merged,
 * this stand-in records what the review asked for and answers as the contract says.
 */
class RecordingOffboard implements OffboardRequester {
  readonly asked: OffboardInput[] = [];
  async execute(input: OffboardInput) {
    this.asked.push(input);
    const request = { id: `REQ-OFF${this.asked.length}`, state: 'PendingApproval', title: `Offboard ${input.target}` } as never;
    return { kind: 'submitted' as const, request, where: 'approvers' as const };
  }
}

describe('the periodic review: a 90-day-old app is reviewed by its requester, then the approvers, then proposed for offboarding', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
  const offboard = new RecordingOffboard();
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;
  let requests: TableRequestStore;
  let audit: TableAuditLog;
  let url: string;

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  const say = async (user: TeamsUser, text: string) => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post(personalMessage(connector.url, user, text, id));
    const reply = () => connector.posts.find((p) => p.method === 'POST' && p.path.endsWith(`/activities/${id}`));
    for (let i = 0; i < 250 && !reply(); i++) await new Promise((r) => setTimeout(r, 20));
    return reply()!.body;
  };
  /** The review cards posted since `from` into this person's personal chat. */
  const reviewCardsTo = (user: TeamsUser, from: number) => connector.posts.slice(from)
    .filter((p) => p.path.includes(encodeURIComponent(`a:${user.aadObjectId}`)) && p.body.attachments?.length)
    .map((p) => p.body.attachments![0].content as Card)
    .filter((c) => cardText(c).includes('still needed?'));
  const provision = async (requester: TeamsUser) => {
    const stack = provisioningStack(endpointsOf(cloud, onboard.config.tables));
    // Card actions carry only ids in the production form.
    const id = `REQ-${newRequestId().slice(1)}`;
    await approvedRequest(stack.requests, id, miradorePlan(id), { requester: { id: requester.aadObjectId, name: requester.name } });
    const provisioned = await stack.provision.execute({ requestId: id });
    if (provisioned.kind !== 'provisioned') throw new Error(`${provisioned.kind}: ${JSON.stringify((provisioned as { request?: { failure?: unknown } }).request?.failure)}`);
    return { id, appId: provisioned.request.provisioning!.steps.application!.appId };
  };
  /** Moves the clock so the request's app was provisioned `days` ago. */
  const age = async (id: string, days: number) => {
    const done = Date.parse((await requests.get(id))!.value.provisioning!.completedAt!);
    clock.advance(done + days * DAY - clock.now().getTime());
  };

  beforeAll(async () => {
    await connector.start();
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env, { clock, offboard }, cloud.workerEnvironment());
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    requests = new TableRequestStore(createTableClientFactory(onboard.config.tables));
    audit = new TableAuditLog(createTableClientFactory(onboard.config.tables));
    for (const user of [alex, megan, adele, isaiah, patti]) await say(user, 'help');
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
    await stop();
  });

  it('asks the requester at 90 days with the app\'s permissions and three choices; Still needed resets the clock', async () => {
    const { id, appId } = await provision(alex);
    await age(id, 89);
    let from = connector.posts.length;
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(alex, from)).toHaveLength(0);

    await age(id, 90);
    await onboard.reviewSweeper!.runOnce();
    await onboard.reviewSweeper!.runOnce();
    const cards = reviewCardsTo(alex, from);
    expect(cards).toHaveLength(1);
    const text = cardText(cards[0]);
    expect(text).toContain('Review: is Miradore still needed?');
    expect(text).toContain(`You asked for Miradore (${id})`);
    expect(text).toContain('Group.Read.All (Application, Microsoft Graph): granted');
    expect(text).toMatch(/Secret .*: ends \d{4}-\d{2}-\d{2}/);
    expect(text).toContain('not yet (in use since');
    expect(executes(cards[0]).map((a) => a.title)).toEqual(['Still needed', 'Reduce permissions', 'Offboard']);
    expect(executes(cards[0])[0]).toMatchObject({ verb: verbs.reviewStillNeeded, data: { requestId: id } });
    expect(JSON.stringify(cards[0])).toContain(appId);

    // Someone else's click is refused; the requester's is recorded, once.
    const stranger = await post(actionInvoke(connector.url, patti, verbs.reviewStillNeeded, { requestId: id }, 'review-1'));
    expect(JSON.stringify(stranger!.value)).toContain('Only the person who asked for this app, or an Onboard approver');
    const answered = await post(actionInvoke(connector.url, alex, verbs.reviewStillNeeded, { requestId: id }, 'review-1'));
    expect(cardText(answered!.value)).toContain('Recorded: Miradore is still needed.');
    const again = await post(actionInvoke(connector.url, alex, verbs.reviewStillNeeded, { requestId: id }, 'review-1'));
    expect(JSON.stringify(again!.value)).toContain('is not waiting for an answer now');

    // The next card comes 90 days after the answer, not before.
    clock.advance(89 * DAY);
    from = connector.posts.length;
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(alex, from)).toHaveLength(0);
    clock.advance(2 * DAY);
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(alex, from)).toHaveLength(1);
    expect(cardText(reviewCardsTo(alex, from)[0])).toContain('Last reviewed');
    expect(cardText(reviewCardsTo(alex, from)[0])).toContain('by Alex Wilber');

    const trail = await audit.forRequest(id);
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['review.asked', 'review.still-needed']));
  });
});
