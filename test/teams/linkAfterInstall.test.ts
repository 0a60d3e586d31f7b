import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startLocalCloud, type LocalCloud } from '../../src/localcloud';
import { FakeConnector, personalMessage, actionInvoke, TENANT_ID as TENANT, type TeamsUser, type ConnectorPost } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { cardText } from '../support/teamsTurns';

const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const TEAM = '19:it-requests@thread.tacv2';
const channel = { conversation: { id: TEAM, conversationType: 'channel', isGroup: true, tenantId: TENANT }, channelData: { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: TEAM } } };
type Card = { actions?: { verb?: string; title: string; data?: Record<string, string> }[] };

/** `installationUpdate` (add, personal scope) as Teams posts it (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#install-update-event). */
const installed = (serviceUrl: string, user: TeamsUser) => ({
  type: 'installationUpdate', action: 'add', id: `f:${Math.random().toString(36).slice(2)}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl,
  from: user, recipient: { id: '28:bot', name: 'Onboard' }, conversation: { id: `a:${user.aadObjectId}`, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } },
});

/**
 * Issue #14: a person who installed Onboard but never typed in its personal chat still gets their one-time link
 * there. Alex installs the app, asks in a team channel, and Megan approves; the worker provisions it, and the link
 * card reaches Alex's personal chat (never the channel), with no "open a chat with Onboard first" detour.
 */
describe('a one-time link reaches a requester who only installed the app', () => {
  const connector = new FakeConnector();
  let cloud: LocalCloud;
  let onboard: ReturnType<typeof composeForTest>;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    cloud = await startLocalCloud({ dataDir: mkdtempSync(join(tmpdir(), 'onboard-link-install-')), env: {} });
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env, {}, cloud.workerEnvironment());
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
  });
  afterAll(async () => {
    onboard.server.close();
    await onboard.close();
    await connector.stop();
    await cloud.close();
  });

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  const to = (conversationId: string, from = 0) => connector.posts.slice(from).filter((p) => p.path.includes(`/conversations/${encodeURIComponent(conversationId)}/`));

  it('installs, asks in a channel, is approved: the link card lands in the personal chat', async () => {
    expect(await post(installed(connector.url, alex))).toBeUndefined();
    await onboard.settled();
    expect(to(`a:${alex.aadObjectId}`).map((p) => cardText(p.body.attachments?.[0]?.content))).toEqual([expect.stringContaining('Welcome to Onboard')]);
    await post(personalMessage(connector.url, megan, 'help', 'megan-hello'));

    await post({ ...personalMessage(connector.url, alex, 'onboard miradore', 'ask-1'), ...channel });
    await onboard.settled();
    const preview = to(TEAM).map((p) => p.body.attachments?.[0]?.content as Card).find((c) => c?.actions?.some((a) => a.verb === 'request.submit'));
    const submit = preview!.actions!.find((a) => a.verb === 'request.submit')!;
    const before = connector.posts.length;
    await post({ ...actionInvoke(connector.url, alex, 'request.submit', { ...submit.data!, 'input.justification': 'Needed for the contact centre go-live.' }, 'ask-1-preview'), ...channel });
    await onboard.settled();
    const approval = to(`a:${megan.aadObjectId}`, before).map((p) => p.body.attachments?.[0]?.content as Card).find((c) => c?.actions?.some((a) => a.verb === 'approval.approve'));
    const approve = approval!.actions!.find((a) => a.verb === 'approval.approve')!;

    const approved = connector.posts.length;
    await post(actionInvoke(connector.url, megan, 'approval.approve', approve.data!, 'approval-1'));
    const said = (p: ConnectorPost) => cardText(p.body.attachments?.[0]?.content) + (p.body.text ?? '');
    // The link, or the detour a requester with no personal chat gets: whichever comes first.
    const handover = await connector.first((p) => /Your client secret for|Open a chat with Onboard/.test(said(p)), approved, 60_000);
    expect(handover.path).toContain(`/conversations/${encodeURIComponent(`a:${alex.aadObjectId}`)}/`);
    expect(said(handover)).toContain('Your client secret for Miradore');
    await onboard.settled();
    const inChannel = to(TEAM, approved).map(said);
    expect(inChannel.join('\n')).not.toContain('Open a chat with Onboard');
    expect(inChannel.join('\n')).not.toContain('/secrets/');
  }, 120_000);
});
