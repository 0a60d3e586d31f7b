import type { AddressInfo } from 'node:net';
import type { LocalCloud } from '../../src/localcloud';
import { verbs } from '../../src/teams/verbs';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { FakeConnector, actionInvoke, personalMessage, type ConnectorPost, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { cardText, type Card } from '../support/teamsTurns';

const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };

type Action = { type: string; title: string; verb?: string; data?: Record<string, unknown> };
const actions = (card: Card) => (card.actions ?? []) as Action[];
const inChatOf = (user: TeamsUser) => (p: ConnectorPost) => p.method === 'POST' && p.path.includes(encodeURIComponent(`a:${user.aadObjectId}`));

/**
 * Offboarding in chat, over HTTP as Teams posts it, with the bot and the worker composed against the local cloud:
 * what the asker sees, what reaches the approvers, the refusals, and restore by a non-approver.
 */
describe('offboard and restore in chat', () => {
  const connector = new FakeConnector();
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;
  let requests: TableRequestStore;
  let url: string;
  let appId: string;
  let madeBy: string;
  let offboardId: string;

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

  beforeAll(async () => {
    await connector.start();
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env, {}, cloud.workerEnvironment());
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    requests = new TableRequestStore(createTableClientFactory(onboard.config.tables));
    // Approvers get approval cards in their personal chat once they have one with Onboard.
    await say(adele, 'help');
    await say(megan, 'help');
    await say(alex, 'help');
    const stack = provisioningStack(endpointsOf(cloud, onboard.config.tables));
    madeBy = newRequestId();
    await approvedRequest(stack.requests, madeBy, miradorePlan(madeBy));
    const provisioned = await stack.provision.execute({ requestId: madeBy });
    if (provisioned.kind !== 'provisioned') throw new Error(provisioned.kind);
    appId = provisioned.request.provisioning!.steps.application!.appId;
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
    await stop();
  });

  it('"offboard Miradore": the asker sees the steps and who decides; an approver gets a card that says approving disables it; approval disables sign-in', async () => {
    const before = connector.posts.length;
    const reply = await say(alex, 'offboard Miradore');
    const card = reply.attachments![0].content as Card;
    const text = cardText(card);
    offboardId = /Offboarding requested as (REQ-[A-Z0-9]+)/.exec(text)![1];
    expect(text).toContain('Nothing changes until an approver from the Onboard approvers group approves it.');
    expect(text).toContain('Step 1, at once');
    expect(text).toContain('Disable sign-in of the enterprise app.');
    expect(text).toContain('Step 2, after 14 days');
    expect(text).toContain('Remove 2 permission grants, 1 client secret and 0 certificates, then delete the app registration.');
    expect(text).toContain(`Onboard, request ${madeBy}`);
    expect(text).toContain('Remove Group.Read.All');
    expect(text).not.toMatch(/Registered and verified|will be issued|After provisioning/);
    expect(actions(card).map((a) => a.title)).toEqual(['Cancel request']);

    const toAdele = await connector.first((p) => inChatOf(adele)(p) && !!p.body.attachments?.length && cardText(p.body.attachments[0].content).includes(offboardId), before);
    const approval = toAdele.body.attachments![0].content as Card;
    expect(cardText(approval)).toContain('Alex Wilber asks you to approve offboarding Miradore');
    expect(cardText(approval)).toContain('Approving **disables** this app and later removes it; it creates nothing and issues no secret.');
    const approve = actions(approval).find((a) => a.verb === verbs.approve)!;
    expect(approve.title).toBe('Approve: disable the app');

    const sp = () => cloud.state.servicePrincipals.find((s) => s.appId === appId)!;
    expect(sp().accountEnabled).not.toBe(false);
    const answered = await post(actionInvoke(connector.url, adele, approve.verb!, approve.data!, 'approval-1'));
    expect(cardText(answered!.value)).toContain('Approved by Adele Vance');
    await onboard.settled();

    expect((await requests.get(offboardId))!.value.state).toBe('Disabled');
    expect(sp().accountEnabled).toBe(false);
    const status = cardText((await say(alex, `status ${offboardId}`)).attachments![0].content);
    expect(status).toMatch(/Sign-in disabled; removal on \d{4}-\d{2}-\d{2}\. Type \*\*restore Miradore\*\* before then to undo/);
    expect(status).toContain('Sign-in disabled');
  });

  it('refuses an app Onboard did not make, and one tagged to look like Onboard\'s, saying what an admin would do by hand', async () => {
    const foreign = await say(alex, 'offboard "Payroll Sync (legacy)"');
    expect(foreign.text).toContain('Onboard can offboard only the apps it created itself');
    expect(foreign.text).toContain('An Entra admin can do it by hand: in the Entra admin center');
    const lookalike = await rawGraph(cloud, 'POST', '/applications', { displayName: 'Totally Miradore', tags: ['Onboard', `onboard:request:${madeBy}`] });
    await rawGraph(cloud, 'POST', '/servicePrincipals', { appId: lookalike.json.appId });
    const tagged = await say(megan, 'offboard Totally Miradore');
    expect(tagged.text).toContain('Its tags say Onboard made it, but tags can be written by anyone');
    expect(tagged.text).toContain('An Entra admin can do it by hand');
    expect(cloud.state.servicePrincipals.find((s) => s.appId === lookalike.json.appId)!.accountEnabled).not.toBe(false);
  });

  it('asks which app when a name fits several, with a button per app that asks to offboard that one', async () => {
    const reply = await say(megan, 'offboard Contoso');
    const card = reply.attachments![0].content as Card;
    expect(cardText(card)).toMatch(/^3 apps match "Contoso"/);
    const buttons = actions(card);
    expect(buttons).toHaveLength(3);
    for (const b of buttons) expect(b).toMatchObject({ type: 'Action.Execute', verb: verbs.offboard, data: { appId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    // None of them is Onboard's: the click gets the refusal, and nothing is requested.
    const clicked = await post(actionInvoke(connector.url, megan, buttons[0].verb!, buttons[0].data!, 'choice-1'));
    expect(JSON.stringify(clicked!.value)).toContain('Onboard can offboard only the apps it created itself');
  });

  it('"restore Miradore" from a non-approver is refused, naming the approvers group; nothing changes', async () => {
    const refused = await say(alex, 'restore Miradore');
    expect(refused.text).toMatch(/^Only members of the Onboard approvers group \(group [0-9a-f-]{36}\) can restore an offboarded app\. Nothing was changed\. Ask an approver to type \*\*restore Miradore\*\*/);
    expect((await requests.get(offboardId))!.value.offboarding?.restore).toBeUndefined();
    expect(cloud.state.servicePrincipals.find((s) => s.appId === appId)!.accountEnabled).toBe(false);
  });

  it('"restore Miradore" from an approver within the grace period turns sign-in back on', async () => {
    const reply = await say(adele, 'restore Miradore');
    expect(reply.text).toContain(`Restoring Miradore (${offboardId}): Onboard turns its sign-in back on now`);
    await onboard.settled();
    expect((await requests.get(offboardId))!.value.state).toBe('Restored');
    expect(cloud.state.servicePrincipals.find((s) => s.appId === appId)!.accountEnabled).toBe(true);
    expect(cardText((await say(alex, `status ${offboardId}`)).attachments![0].content)).toContain('Restored by Adele Vance: sign-in is on again, and nothing was removed.');
  });
});
