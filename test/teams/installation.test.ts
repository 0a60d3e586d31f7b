import type { AddressInfo } from 'node:net';
import { FakeConnector, personalMessage, actionInvoke, TENANT_ID as TENANT, type TeamsUser, type ConnectorPost } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { InMemoryMembership } from '../support/fakes';
import { cardText } from '../support/teamsTurns';

const APPROVERS = '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05';
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const nestor: TeamsUser = { id: '29:nestor', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Nestor Wilke' };
const lynne: TeamsUser = { id: '29:lynne', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Lynne Robbins' };
const TEAM = '19:team-general@thread.tacv2';
const CHANNEL = '19:approvals@thread.tacv2';

type Card = { actions?: { verb?: string; title: string; data?: Record<string, string> }[] };

/** `installationUpdate` as Teams posts it (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#install-update-event). */
function installation(serviceUrl: string, user: TeamsUser, action: 'add' | 'remove', scope: 'personal' | 'team') {
  return {
    type: 'installationUpdate', action, id: `f:${Math.random().toString(36).slice(2)}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl,
    from: user, recipient: { id: '28:bot', name: 'Onboard' },
    conversation: scope === 'personal'
      ? { id: `a:${user.aadObjectId}`, conversationType: 'personal', tenantId: TENANT }
      : { id: TEAM, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, ...(scope === 'team' ? { team: { id: TEAM }, channel: { id: TEAM } } : {}) },
  };
}

describe('install, uninstall and channel threads (issue #14)', () => {
  const connector = new FakeConnector();
  let onboard: ReturnType<typeof composeForTest>;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { membership: new InMemoryMembership({ [APPROVERS]: [megan.aadObjectId, nestor.aadObjectId, lynne.aadObjectId] }) });
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
  });
  afterAll(async () => {
    onboard.server.close();
    await onboard.close();
    await connector.stop();
  });

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as { value: unknown }) : undefined };
  };
  const repliesTo = async (id: string) => {
    await onboard.inflight.idle(10_000);
    return connector.posts.filter((p) => p.path.endsWith(`/activities/${encodeURIComponent(id)}`));
  };
  const say = async (user: TeamsUser, text: string, conversation?: object) => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post({ ...personalMessage(connector.url, user, text, id), ...(conversation ? { conversation, channelData: { tenant: { id: TENANT }, team: { id: TEAM } } } : {}) });
    const replies = await repliesTo(id);
    expect(replies.length).toBeGreaterThan(0);
    return replies[0].body;
  };
  /** Alex submits a request; returns what the connector received meanwhile. */
  const submit = async (text: string): Promise<ConnectorPost[]> => {
    const preview = (await say(alex, text)).attachments![0].content as Card;
    const before = connector.posts.length;
    const reply = await post(actionInvoke(connector.url, alex, 'request.submit', { ...preview.actions!.find((a) => a.verb === 'request.submit')!.data!, 'input.justification': 'Needed for the service desk roll-out.' }, `preview-${Math.random()}`));
    expect(cardText(reply.body!.value)).toMatch(/REQ-[A-Z0-9]+/);
    await onboard.inflight.idle(10_000);
    return connector.posts.slice(before);
  };
  /** Approval cards: with the buttons in a personal chat, read-only with a per-user refresh in a channel. */
  const approvalCardsTo = (posts: ConnectorPost[], conversationId: string) =>
    posts.filter((p) => p.path.includes(`/conversations/${encodeURIComponent(conversationId)}/`) && /approval\.approve|card\.refresh/.test(JSON.stringify(p.body)));

  it('greets a person who installs the app in personal scope with the three things they can do', async () => {
    const install = installation(connector.url, megan, 'add', 'personal');
    expect((await post(install)).status).toBe(200);
    const [welcome] = await repliesTo(install.id);
    const text = cardText(welcome.body.attachments![0].content);
    expect(text).toContain('Welcome to Onboard');
    expect(text).toContain('onboard Miradore');
    expect(text).toContain('check Miradore');
    expect(text).toContain('status');
  });

  it('reaches an approver who installed the app but never typed: the approval card lands in their personal chat', async () => {
    const install = installation(connector.url, nestor, 'add', 'personal');
    await post(install);
    const sent = await submit('onboard miradore');
    const toNestor = approvalCardsTo(sent, `a:${nestor.aadObjectId}`);
    expect(toNestor).toHaveLength(1);
    expect((toNestor[0].body.attachments![0].content as Card).actions!.map((a) => a.title)).toContain('Approve');
  });

  it('skips a person who removed the app: no card is sent to them, the others still get theirs', async () => {
    await say(lynne, 'help');
    await post(installation(connector.url, lynne, 'remove', 'personal'));
    const sent = await submit('onboard securends');
    expect(approvalCardsTo(sent, `a:${lynne.aadObjectId}`)).toEqual([]);
    expect(approvalCardsTo(sent, `a:${megan.aadObjectId}`)).toHaveLength(1);
  });

  it('tells a team that installs it how to choose the approvals channel', async () => {
    const install = installation(connector.url, megan, 'add', 'team');
    await post(install);
    const [note] = await repliesTo(install.id);
    expect(note.body.text).toContain('set approvals channel');
  });

  it('starts a new thread for each approval card, even when the channel was set from a reply in a thread', async () => {
    const thread = { id: `${CHANNEL};messageid=1733000000000`, conversationType: 'channel', name: 'Approvals', tenantId: TENANT };
    expect((await say(megan, 'set approvals channel', thread)).text).toContain('approval cards will be posted in this channel');
    const sent = await submit('onboard cirrus insight email sync');
    const inChannel = approvalCardsTo(sent, CHANNEL);
    expect(inChannel).toHaveLength(1);
    // The bare channel id: Teams starts a new thread; with `;messageid=` it would be a reply in the thread where the channel was set.
    expect(inChannel[0].path.startsWith(`/v3/conversations/${encodeURIComponent(CHANNEL)}/activities`)).toBe(true);
    expect(sent.filter((p) => p.path.includes('messageid'))).toEqual([]);
  });

  it('forgets the approvals channel when the app is removed from its team: cards go to approvers privately again', async () => {
    await post(installation(connector.url, megan, 'remove', 'team'));
    const sent = await submit('onboard miradore without group filtering');
    expect(approvalCardsTo(sent, CHANNEL)).toEqual([]);
    expect(approvalCardsTo(sent, `a:${megan.aadObjectId}`)).toHaveLength(1);
  });
});
