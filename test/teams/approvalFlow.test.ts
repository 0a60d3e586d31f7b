import type { AddressInfo } from 'node:net';
import type { Onboard } from '../../src/compose';
import { FakeConnector, personalMessage, actionInvoke, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { InMemoryMembership } from '../support/fakes';
import { cardText } from '../support/teamsTurns';

const APPROVERS = '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05';
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };

interface InvokeReply {
  statusCode: number;
  type: string;
  value: unknown;
}

describe('request → preview → submit → approve, through Teams activities over HTTP', () => {
  const connector = new FakeConnector();
  let onboard: Onboard;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { membership: new InMemoryMembership({ [APPROVERS]: [megan.aadObjectId] }) });
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
  });
  afterAll(async () => {
    onboard.server.close();
    await connector.stop();
  });

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as InvokeReply) : undefined };
  };
  const say = async (user: TeamsUser, text: string) => {
    const before = connector.posts.length;
    await post(personalMessage(connector.url, user, text, `m-${Date.now()}-${Math.random()}`));
    await connector.received(before + 1);
    return connector.posts.slice(before);
  };
  const click = async (user: TeamsUser, verb: string, data: Record<string, unknown>, replyToId = 'card-1') => {
    const reply = await post(actionInvoke(connector.url, user, verb, data, replyToId));
    expect(reply.status).toBe(200);
    return reply.body!;
  };
  const cardOf = (posts: { body: { attachments?: { content: unknown }[] } }[]) => posts.flatMap((p) => p.body.attachments ?? [])[0]?.content as { actions?: { verb?: string; data?: Record<string, string>; title: string }[] };

  it('walks the whole path and tells the requester', async () => {
    await say(megan, 'help');
    const [previewPost] = await say(alex, 'onboard cirrus connect mail delegated');
    const preview = cardOf([previewPost]);
    expect(cardText(preview)).toContain('Cirrus domain');
    expect(cardText(preview)).toContain('Mail.ReadWrite.Shared');
    const draftId = preview.actions!.find((a) => a.verb === 'request.choose')!.data!.draftId;

    const invalid = await click(alex, 'request.choose', { draftId, 'input.domain': 'Not A Host' });
    expect(cardText(invalid.value)).toContain('is not a host name');
    expect((invalid.value as { actions: { verb: string }[] }).actions.map((a) => a.verb)).not.toContain('request.submit');

    // As the client sends it: the App name field was left as proposed (empty until the domain is known).
    const fixed = await click(alex, 'request.choose', { draftId, 'input.domain': 'Contoso.Cirrus.Example', 'input.appName': '' });
    expect(cardText(fixed.value)).toContain('Read as: Cirrus Connect · Outlook Mail: delegated · Cirrus domain: contoso.cirrus.example\n');
    expect(cardText(fixed.value)).toContain('https://contoso.cirrus.example/webclient/signin-oidc');
    const submitAction = (fixed.value as { actions: { verb: string; data: Record<string, string> }[] }).actions.find((a) => a.verb === 'request.submit')!;

    const before = connector.posts.length;
    // The proposed name sent back unchanged is no rename: the plan the requester saw is the one submitted.
    const submitted = await click(alex, 'request.submit', { ...submitAction.data, 'input.appName': 'Cirrus Connect (contoso.cirrus.example)', 'input.justification': 'Needed for the contact centre go-live.' }, 'preview-activity');
    const text = cardText(submitted.value);
    const requestId = /Submitted as (REQ-[A-Z0-9]+)/.exec(text)![1];
    expect(text).toContain('Sending it to the approvers…');
    expect(text).toContain('Pending approval');

    const [approvalPost] = (await connector.received(before + 1)).slice(before);
    await onboard.inflight.idle(10_000);
    // Once it is out, the requester's card says who has it.
    const report = connector.posts.filter((p) => p.method === 'PUT' && p.path.endsWith('/preview-activity')).at(-1);
    expect(cardText(report?.body.attachments?.[0].content)).toContain('Sent to 1 approver (Megan Bowen).');
    expect(approvalPost.path).toContain(encodeURIComponent(`a:${megan.aadObjectId}`));
    const approval = cardOf([approvalPost]);
    expect(approval.actions!.map((a) => a.title)).toEqual(['Approve', 'Reject']);
    expect(cardText(approval)).toContain(requestId);

    const approved = await click(megan, 'approval.approve', approval.actions!.find((a) => a.verb === 'approval.approve')!.data!, 'approval-activity');
    expect(cardText(approved.value)).toContain('Approved by Megan Bowen');
    await onboard.inflight.idle(10_000);
    const told = connector.posts.filter((p) => p.method === 'POST' && p.path.includes(encodeURIComponent(`a:${alex.aadObjectId}`)) && p.body.text?.includes('approved by Megan Bowen'));
    expect(told).toHaveLength(1);
    const updatedStatusCard = connector.posts.filter((p) => p.method === 'PUT' && p.path.endsWith('/preview-activity')).at(-1);
    expect(cardText(updatedStatusCard?.body.attachments?.[0].content)).toContain('Approved');
  });

  it('asks a question instead of failing when a mode is missing, then continues', async () => {
    const [post1] = await say(alex, 'onboard cirrus connect mail for contoso.cirrus.example');
    const card = cardOf([post1]);
    expect(cardText(card)).toContain('delegated (acts as a signed-in user) or application');
    const draftId = card.actions!.find((a) => a.verb === 'request.choose')!.data!.draftId;
    const answered = await click(alex, 'request.choose', { draftId, choice: 'application' });
    expect(cardText(answered.value)).toContain('Mail.Send');
    expect(cardText(answered.value)).toContain('New-ApplicationAccessPolicy');
  });

  it('refuses an unknown verb, oversized and malformed action data with a clear answer', async () => {
    const unknown = await click(alex, 'approval.approve-all', { requestId: 'REQ-AAAAAAAA' });
    expect(unknown.value).toContain('does not know the action');
    const huge = await click(megan, 'approval.approve', { requestId: 'REQ-AAAAAAAA', planHash: 'a'.repeat(64), padding: 'x'.repeat(20_000) });
    expect(huge.value).toContain('too much data');
    const malformed = await click(megan, 'approval.approve', { requestId: 'DROP TABLE', planHash: 42 });
    expect(malformed.value).toContain('not valid');
  });
});
