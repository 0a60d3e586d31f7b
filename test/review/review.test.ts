import type { AddressInfo } from 'node:net';
import type { LocalCloud } from '../../src/localcloud';
import { verbs } from '../../src/teams/verbs';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { credentialFor, graphClient, rawGraph, startTestCloud } from '../localcloud/helpers';
import { FakeConnector, actionInvoke, personalMessage, type TeamsUser } from '../support/fakeConnector';
import { ManualClock } from '../support/fakes';
import { composeForTest } from '../support/onboard';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { cardText, type Card } from '../support/teamsTurns';

const DAY = 86_400_000;
const GROUP_READ_ALL = '5b567255-7703-4780-807c-7be8301ae99b';
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const isaiah: TeamsUser = { id: '29:isaiah', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' };
const lynne: TeamsUser = { id: '29:lynne', aadObjectId: '00000000-0000-0000-0000-0000000000025', name: 'Lynne Robbins' };
const patti: TeamsUser = { id: '29:patti', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' };

type Execute = { type: string; title: string; verb?: string; data?: Record<string, string> };
const executes = (card: Card) => ((card.actions ?? []) as Execute[]).filter((a) => a.type === 'Action.Execute');

describe('the periodic review: a 90-day-old app is reviewed by its requester, then the approvers, then proposed for offboarding', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
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
  const reviewCardsTo = (user: TeamsUser, from: number, requestId?: string) => connector.posts.slice(from)
    .filter((p) => p.path.includes(encodeURIComponent(`a:${user.aadObjectId}`)) && p.body.attachments?.length)
    .map((p) => p.body.attachments![0].content as Card)
    .filter((c) => cardText(c).includes('still needed?') && (!requestId || cardText(c).includes(`(${requestId})`)));
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
    onboard = composeForTest(env, { clock }, cloud.workerEnvironment());
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    requests = new TableRequestStore(createTableClientFactory(onboard.config.tables));
    audit = new TableAuditLog(createTableClientFactory(onboard.config.tables));
    for (const user of [alex, megan, adele, isaiah, patti, lynne]) await say(user, 'help');
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
    const nextDue = new Date(clock.now().getTime() + 90 * DAY).toISOString().slice(0, 10);
    expect(cardText((await say(alex, `status ${id}`)).attachments![0].content)).toContain(`Review: last reviewed ${clock.now().toISOString().slice(0, 10)} by Alex Wilber; next review due ${nextDue}.`);

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

  it('asks the approvers when the requester does not answer in 14 days, then proposes offboarding through the normal approval', async () => {
    const { id, appId } = await provision(patti);
    await age(id, 90);
    const from = connector.posts.length;
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(patti, from, id)).toHaveLength(1);
    await age(id, 90 + 13);
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(megan, from, id)).toHaveLength(0);

    await age(id, 90 + 14);
    await onboard.reviewSweeper!.runOnce();
    await onboard.reviewSweeper!.runOnce();
    for (const approver of [megan, adele]) {
      const cards = reviewCardsTo(approver, from, id);
      expect(cards).toHaveLength(1);
      expect(cardText(cards[0])).toContain('Patti Fernandez did not answer the review of Miradore');
    }
    expect((await requests.get(id))!.value.review?.followUp).toBeUndefined();
    expect((await requests.get(id))!.value.review).toMatchObject({ stage: 'asked-approvers' });
    const asked = clock.now().toISOString().slice(0, 10);
    expect(cardText((await say(patti, `status ${id}`)).attachments![0].content)).toMatch(new RegExp(`Review overdue since \\d{4}-\\d{2}-\\d{2}: asked approvers on ${asked}`));
    expect(cardText((await say(megan, `check ${appId}`)).attachments![0].content)).toMatch(new RegExp(`Review overdue since \\d{4}-\\d{2}-\\d{2}: asked approvers on ${asked}`));

    await age(id, 90 + 28);
    await onboard.reviewSweeper!.runOnce();
    await onboard.reviewSweeper!.runOnce();
    const review = (await requests.get(id))!.value.review!;
    expect(review).toMatchObject({ stage: 'proposed-offboard', followUp: { kind: 'offboard', requestId: expect.stringMatching(/^REQ-/) } });
    // A real offboard request, waiting for the approvers like any other, requested by the review itself.
    const proposal = (await requests.get(review.followUp!.requestId!))!.value;
    expect(proposal).toMatchObject({ state: 'PendingApproval', title: 'Offboard: Miradore', requester: { id: 'onboard-review', name: "Onboard's periodic review" } });
    expect((proposal.plan as { target: { appId: string } }).target.appId).toBe(appId);
    const offboards = (await requests.listInStates(['PendingApproval'])).filter((r) => r.value.title === 'Offboard: Miradore' && (r.value.plan as { target: { appId: string } }).target.appId === appId);
    expect(offboards).toHaveLength(1);
    // Nobody can answer "Still needed" once the proposal is with the approvers: they decide on that request.
    const late = await post(actionInvoke(connector.url, patti, verbs.reviewStillNeeded, { requestId: id }, 'review-2'));
    expect(JSON.stringify(late!.value)).toContain('Offboarding of Miradore was already chosen');
    const trail = (await audit.forRequest(id)).map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['review.asked', 'review.escalated', 'review.proposed-offboard']));
  });

  it('skips a requester whose account is disabled (or deleted) in favour of the approvers', async () => {
    // Graph answers accountEnabled only to a caller with User.Read.All: the worker, without it, is refused; the bot reads it.
    const admin = await fetch(`${cloud.url}/_localcloud/users/${lynne.aadObjectId}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ accountEnabled: false }) });
    expect(admin.status).toBe(200);
    expect((await rawGraph(cloud, 'GET', `/users/${lynne.aadObjectId}?$select=id,accountEnabled`)).status).toBe(403);
    const asBot = await graphClient(cloud, credentialFor(cloud, cloud.bot)).api(`/users/${lynne.aadObjectId}?$select=id,accountEnabled`).get();
    expect(asBot.accountEnabled).toBe(false);

    const { id } = await provision(lynne);
    const gone = await provision({ id: '29:gone', aadObjectId: '9f9f9f9f-0000-4000-8000-000000000099', name: 'Former Employee' });
    // The later of the two provisionings.
    await age(gone.id, 90);
    const from = connector.posts.length;
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(lynne, from, id)).toHaveLength(0);
    const toMegan = reviewCardsTo(megan, from, id);
    expect(toMegan).toHaveLength(1);
    expect(cardText(toMegan[0])).toContain('Lynne Robbins, who asked for Miradore');
    expect(cardText(toMegan[0])).toContain('has left (their account is disabled)');
    expect(cardText(reviewCardsTo(megan, from, gone.id)[0])).toContain('has left (their account is deleted)');
    expect((await requests.get(id))!.value.review).toMatchObject({ stage: 'asked-approvers', requesterLeft: 'disabled' });
  });

  it('lists due and overdue reviews for approvers only', async () => {
    const listed = await say(megan, 'reviews');
    const text = cardText(listed.attachments![0].content);
    expect(text).toContain('Reviews due and overdue');
    expect(text).toMatch(/Review overdue since \d{4}-\d{2}-\d{2}: asked approvers on/);
    expect(text).toContain('Lynne Robbins');
    const refused = await say(isaiah, 'reviews');
    expect(refused.attachments ?? []).toHaveLength(0);
    expect(refused.text).toContain('Only members of the Onboard Approvers group can list reviews');
  });

  it('Reduce permissions opens a removal-only request; once approved, the worker removes the permission', async () => {
    const { id, appId } = await provision(alex);
    await age(id, 90);
    const from = connector.posts.length;
    await onboard.reviewSweeper!.runOnce();
    const [card] = reviewCardsTo(alex, from, id);
    const choices = JSON.stringify(card);
    const groupRead = (card.body as { id?: string; choices?: { title: string; value: string }[] }[]).find((b) => b.id === 'input.remove')!.choices!.find((c) => c.title.startsWith('Group.Read.All (Application'))!;
    expect(choices).toContain('Reduce permissions');

    const answered = await post(actionInvoke(connector.url, alex, verbs.reviewReduce, { requestId: id, 'input.remove': groupRead.value }, 'review-3'));
    const reductionId = /Removal requested as (REQ-[A-Z0-9]+)/.exec(cardText(answered!.value))![1];
    const reduction = (await requests.get(reductionId))!.value;
    expect(reduction).toMatchObject({ state: 'PendingApproval', title: 'Reduce permissions: Miradore', requester: { id: alex.aadObjectId } });
    const plan = reduction.plan as { kind: string; permissions: unknown[]; remove: { name: string; type: string }[] };
    expect(plan.kind).toBe('drift-fix');
    expect(plan.permissions).toEqual([]);
    expect(plan.remove.map((p) => [p.name, p.type])).toEqual([['Group.Read.All', 'Application']]);

    const sp = cloud.state.servicePrincipals.find((s) => s.appId === appId)!;
    const held = () => cloud.state.appRoleAssignments.filter((a) => a.principalId === sp.id && a.appRoleId === GROUP_READ_ALL);
    expect(held()).toHaveLength(1);
    const approved = await post(actionInvoke(connector.url, megan, verbs.approve, { requestId: reductionId, planHash: reduction.planHash }, 'approval-3'));
    expect(cardText(approved!.value)).toContain('Approved by Megan Bowen');
    await onboard.settled();
    expect((await requests.get(reductionId))!.value.state).toBe('Provisioned');
    expect(held()).toHaveLength(0);
    expect((await audit.forRequest(id)).map((e) => e.action)).toContain('review.reduce');
  });

  it('Offboard on the card submits an offboard request for the approvers, and the app is not reviewed again', async () => {
    const { id, appId } = await provision(alex);
    await age(id, 90);
    let from = connector.posts.length;
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(alex, from, id)).toHaveLength(1);
    const answered = await post(actionInvoke(connector.url, alex, verbs.reviewOffboard, { requestId: id }, 'review-4'));
    const offboardId = /Offboarding requested as (REQ-[A-Z0-9]+)/.exec(cardText(answered!.value))![1];
    const offboarding = (await requests.get(offboardId))!.value;
    expect(offboarding).toMatchObject({ state: 'PendingApproval', title: 'Offboard: Miradore', requester: { id: alex.aadObjectId } });
    expect((offboarding.plan as { target: { appId: string } }).target.appId).toBe(appId);
    expect(cardText((await say(alex, `status ${id}`)).attachments![0].content)).toContain(`Review: offboarding chosen on ${clock.now().toISOString().slice(0, 10)} (${offboardId}).`);
    expect((await audit.forRequest(id)).filter((e) => e.action === 'review.offboard' && e.outcome === 'ok')).toHaveLength(1);

    clock.advance(200 * DAY);
    from = connector.posts.length;
    await onboard.reviewSweeper!.runOnce();
    expect(reviewCardsTo(alex, from, id)).toHaveLength(0);
    expect(reviewCardsTo(megan, from, id)).toHaveLength(0);
  });
});

