import type { AddressInfo } from 'node:net';
import type { LocalCloud } from '../../src/localcloud';
import { verbs } from '../../src/teams/verbs';
import { graphClient, startTestCloud } from '../localcloud/helpers';
import { FakeConnector, actionInvoke, personalMessage, TENANT_ID, type ConnectorPost, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { cardText } from '../support/teamsTurns';

const isaiah: TeamsUser = { id: '29:isaiah', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const grady: TeamsUser = { id: '29:grady', aadObjectId: '8d4e5f6a-7b8c-4d9e-9f0a-2b3c4d5e6f74', name: 'Grady Archie' };

const channel = { id: '19:it-ops@thread.tacv2', conversationType: 'channel', name: 'IT Ops', tenantId: TENANT_ID };
const groupChat = { id: '19:group-1@thread.v2', conversationType: 'groupChat', tenantId: TENANT_ID };
const personalChatOf = (user: TeamsUser) => `/v3/conversations/${encodeURIComponent(`a:${user.aadObjectId}`)}/activities`;
const cardsIn = (post: ConnectorPost) => (post.body.attachments ?? []).map((a) => a.content);

/**
 * Helpdesk answers (an app's owners, grants, credentials) and an approver's view of a request are for
 * the asker only. Asked in a channel or group chat, everyone there would read them; so they go to the
 * asker's personal chat, and the conversation gets a short note.
 */
describe('privacy in channels: helpdesk answers and approver views go to the asker\'s personal chat', () => {
  const connector = new FakeConnector();
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env);
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    // An app named like the vendor, for the helpdesk to look at.
    await graphClient(cloud).api('/applications').post({ displayName: 'Miradore' });
    // Isaiah and Megan have talked to Onboard in their personal chats once; Grady never has.
    for (const user of [isaiah, megan]) await say(user, 'help');
  });
  afterAll(async () => {
    onboard.server.close();
    await onboard.close();
    await stop();
    await connector.stop();
  });

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  /** Sends `text` as `user` (in their personal chat unless `conversation` says otherwise) and returns the reply in that conversation. */
  const say = async (user: TeamsUser, text: string, conversation?: object) => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post({ ...personalMessage(connector.url, user, text, id), ...(conversation ? { conversation } : {}) });
    return connector.replyTo(id);
  };

  it('check Miradore typed in a channel: no inspect card in the channel, one in the asker\'s personal chat', async () => {
    const before = connector.posts.length;
    const note = await say(isaiah, 'check Miradore', channel);
    expect(note.attachments ?? []).toEqual([]);
    expect(note.text).toMatch(/sent .* to your personal chat with Onboard/);
    const privately = await connector.first((p) => p.path.startsWith(personalChatOf(isaiah)) && cardsIn(p).length > 0, before);
    expect(cardText(cardsIn(privately)[0])).toContain('Miradore');
    const inChannel = connector.posts.slice(before).filter((p) => p.path.includes(encodeURIComponent(channel.id)));
    expect(inChannel.flatMap(cardsIn)).toEqual([]);
  });

  it('the same question in a personal chat is answered right there (the control)', async () => {
    const reply = await say(isaiah, 'check Miradore');
    expect(cardText(cardsIn({ body: reply } as ConnectorPost)[0])).toContain('Miradore');
  });

  it('which apps, and secrets expiring, asked in a group chat, go private too', async () => {
    for (const question of ['which apps have User.Read.All application', 'secrets expiring in 30 days']) {
      const before = connector.posts.length;
      const note = await say(isaiah, question, groupChat);
      expect(note.attachments ?? []).toEqual([]);
      await connector.first((p) => p.path.startsWith(personalChatOf(isaiah)) && cardsIn(p).length > 0, before);
      expect(connector.posts.slice(before).filter((p) => p.path.includes(encodeURIComponent(groupChat.id))).flatMap(cardsIn)).toEqual([]);
    }
  });

  it('without a personal chat yet, the channel is told how to open one, and nothing is shown', async () => {
    const before = connector.posts.length;
    const note = await say(grady, 'check Miradore', channel);
    expect(note.attachments ?? []).toEqual([]);
    expect(note.text).toMatch(/Open a chat with Onboard/);
    expect(connector.posts.slice(before).flatMap(cardsIn)).toEqual([]);
  });

  it('an approver\'s status REQ-… in a group chat: the approval view goes to their personal chat', async () => {
    const preview = (await say(alex, 'onboard securends')).attachments![0].content as { actions: { verb?: string; data?: Record<string, string> }[] };
    const submitted = await post(actionInvoke(connector.url, alex, verbs.submit, { ...preview.actions.find((a) => a.verb === verbs.submit)!.data!, 'input.justification': 'Needed for the service desk.' }, 'preview-1'));
    const requestId = /REQ-[A-Z0-9-]+/.exec(cardText(submitted!.value))![0];
    const before = connector.posts.length;
    const note = await say(megan, `status ${requestId}`, groupChat);
    expect(note.attachments ?? []).toEqual([]);
    const privately = await connector.first((p) => p.path.startsWith(personalChatOf(megan)) && cardsIn(p).length > 0 && cardText(cardsIn(p)[0]).includes(requestId), before);
    expect((cardsIn(privately)[0] as { actions?: { title: string }[] }).actions?.map((a) => a.title)).toContain('Approve');
    expect(connector.posts.slice(before).filter((p) => p.path.includes(encodeURIComponent(groupChat.id))).flatMap(cardsIn)).toEqual([]);
    // The approver's inbox names the same request and its requester: private too.
    const beforeInbox = connector.posts.length;
    expect((await say(megan, 'pending', groupChat)).attachments ?? []).toEqual([]);
    const inbox = await connector.first((p) => p.path.startsWith(personalChatOf(megan)) && cardsIn(p).length > 0, beforeInbox);
    expect(cardText(cardsIn(inbox)[0])).toContain(requestId);
  });
});
