import type { AddressInfo } from 'node:net';
import { FakeConnector, personalMessage, actionInvoke, TENANT_ID, type TeamsUser, type ConnectorPost } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { InMemoryMembership, ManualClock } from '../support/fakes';
import { cardText } from '../support/teamsTurns';
import { budgetMs } from '../support/budget';
import { verbs } from '../../src/teams/verbs';
import { CLAIM_MS } from '../../src/domain/delivery';
import type { DeliveryChannel } from '../../src/app/delivery/outbox';

const APPROVERS = '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05';
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const jo: TeamsUser = { id: '29:jo', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Jo Blocked' };
const why = 'Needed for the contact centre go-live.';
const BUDGET = budgetMs(20, 1_000);

type Card = { actions?: { verb?: string; title: string; data?: Record<string, string> }[] };
type Onboard = ReturnType<typeof composeForTest>;

/** An HTTP client for one composed bot and the fake connector its replies go to. */
function client(connector: FakeConnector, onboard: () => Onboard) {
  let url = '';
  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  return {
    listen: async () => {
      await new Promise<void>((r) => onboard().server.listen(0, '127.0.0.1', () => r()));
      url = `http://127.0.0.1:${(onboard().server.address() as AddressInfo).port}/api/messages`;
    },
    post,
    /** Sends a message and returns the bot's reply to it. */
    say: async (user: TeamsUser, text: string) => {
      const id = `m-${Math.random().toString(36).slice(2)}`;
      await post(personalMessage(connector.url, user, text, id));
      await onboard().inflight.idle(BUDGET);
      return connector.posts.find((p) => p.method === 'POST' && p.path.endsWith(`/activities/${id}`))!.body;
    },
    /** Alex submits a request from its preview card (activity `previewId`); the click's answer. */
    submit: async (text: string, previewId: string) => {
      const id = `m-${Math.random().toString(36).slice(2)}`;
      await post(personalMessage(connector.url, alex, text, id));
      await onboard().inflight.idle(BUDGET);
      const preview = connector.posts.find((p) => p.path.endsWith(`/activities/${id}`))!.body.attachments![0].content as Card;
      const submit = preview.actions!.find((a) => a.verb === verbs.submit)!;
      const reply = await post(actionInvoke(connector.url, alex, verbs.submit, { ...submit.data, 'input.justification': why }, previewId));
      // A plain string is a message in place of the card (the apology, say): the answer as the clicker reads it.
      const answer = typeof reply!.value === 'string' ? reply!.value : cardText(reply!.value);
      return { text: answer, requestId: /REQ-[A-Z0-9]+/.exec(answer)?.[0] ?? '' };
    },
  };
}

const approvalCardsTo = (posts: ConnectorPost[], user: TeamsUser, requestId: string) =>
  posts.filter((p) => p.method === 'POST' && p.path.includes(encodeURIComponent(`a:${user.aadObjectId}`)) && p.body.attachments?.some((a) => cardText(a.content).includes(`asks you to approve`) && cardText(a.content).includes(requestId)));
const requesterCard = (posts: ConnectorPost[], previewId: string) => posts.filter((p) => p.method === 'PUT' && p.path.endsWith(`/${previewId}`)).at(-1)?.body.attachments?.[0].content;

describe('delivery through the outbox: one unreachable approver stops nobody', () => {
  const connector = new FakeConnector();
  let onboard: Onboard;
  const bot = client(connector, () => onboard);

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { membership: new InMemoryMembership({ [APPROVERS]: [jo.aadObjectId, megan.aadObjectId] }) });
    await bot.listen();
    await bot.say(jo, 'help');
    await bot.say(megan, 'help');
    // Jo blocked Onboard after that: the connector refuses everything sent to their chat.
    connector.refuse(`a:${jo.aadObjectId}`, 403);
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
  });

  it('answers the submit click with the card, the others get theirs, and the requester learns who could not be reached', async () => {
    const { text, requestId } = await bot.submit('onboard miradore', 'preview-403');
    expect(text).not.toContain('Sorry');
    expect(text).toContain(`Submitted as ${requestId}. Sending it to the approvers…`);
    await onboard.inflight.idle(BUDGET);
    expect(approvalCardsTo(connector.posts, megan, requestId)).toHaveLength(1);
    expect(cardText(requesterCard(connector.posts, 'preview-403'))).toContain('Sent to 1 approver (Megan Bowen), 1 unreachable (Jo Blocked: they blocked or removed Onboard).');
    const told = connector.posts.filter((p) => p.method === 'POST' && p.path.includes(encodeURIComponent(`a:${alex.aadObjectId}`)) && p.body.text?.includes('could not reach Jo Blocked'));
    expect(told).toHaveLength(1);

    const status = cardText((await bot.say(alex, `status ${requestId}`)).attachments![0].content);
    expect(status).toContain('1 unreachable (Jo Blocked');
    expect(status).toContain('Sent to 1 approver (Megan Bowen)');
  });
});

describe('delivery through the outbox: a connector outage is retried with backoff', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
  let onboard: Onboard;
  const bot = client(connector, () => onboard);

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { clock, membership: new InMemoryMembership({ [APPROVERS]: [jo.aadObjectId, megan.aadObjectId] }) });
    await bot.listen();
    await bot.say(jo, 'help');
    await bot.say(megan, 'help');
    connector.refuse(`a:${jo.aadObjectId}`, 503);
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
  });

  it('keeps trying the one approver the connector failed for, and sends them the card once it answers', async () => {
    const { requestId } = await bot.submit('onboard miradore', 'preview-503');
    await onboard.inflight.idle(BUDGET);
    expect(approvalCardsTo(connector.posts, megan, requestId)).toHaveLength(1);
    expect(approvalCardsTo(connector.posts, jo, requestId)).toHaveLength(0);
    expect(cardText((await bot.say(alex, `status ${requestId}`)).attachments![0].content)).toContain('Sent to 1 approver (Megan Bowen), still sending to 1.');

    // Not due yet: the sweeper leaves the row alone until its backoff has passed.
    connector.accept(`a:${jo.aadObjectId}`);
    await onboard.outboxSweeper.runOnce();
    expect(approvalCardsTo(connector.posts, jo, requestId)).toHaveLength(0);
    clock.advance(5 * 60_000);
    await onboard.outboxSweeper.runOnce();
    await onboard.outboxSweeper.runOnce();
    expect(approvalCardsTo(connector.posts, jo, requestId)).toHaveLength(1);
    expect(approvalCardsTo(connector.posts, megan, requestId)).toHaveLength(1);
    expect(cardText(requesterCard(connector.posts, 'preview-503'))).toContain('Sent to 2 approvers (');

    // A day later nobody has decided: each approver gets one reminder with the card again, through the outbox too.
    clock.advance(24 * 3_600_000);
    await onboard.sweeper.runOnce();
    await onboard.inflight.idle(BUDGET);
    await onboard.outboxSweeper.runOnce();
    for (const approver of [megan, jo]) {
      const reminders = connector.posts.filter((p) => p.path.includes(encodeURIComponent(`a:${approver.aadObjectId}`)) && p.body.text?.startsWith(`Reminder: ${requestId}`));
      expect({ approver: approver.name, reminders: reminders.length, cards: approvalCardsTo(connector.posts, approver, requestId).length }).toEqual({ approver: approver.name, reminders: 1, cards: 2 });
    }
  });
});

describe('news about a request goes through the outbox too', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
  let onboard: Onboard;
  const bot = client(connector, () => onboard);

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { clock, membership: new InMemoryMembership({ [APPROVERS]: [megan.aadObjectId] }) });
    await bot.listen();
    await bot.say(megan, 'help');
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
  });

  it('a notice the connector could not take is sent once it answers again, and only once', async () => {
    const { requestId } = await bot.submit('onboard miradore', 'preview-news');
    await onboard.inflight.idle(BUDGET);
    const card = approvalCardsTo(connector.posts, megan, requestId)[0].body.attachments![0].content as Card;
    const approve = card.actions!.find((a) => a.verb === verbs.approve)!;
    const news = () => connector.posts.filter((p) => p.method === 'POST' && p.path.includes(encodeURIComponent(`a:${alex.aadObjectId}`)) && !!p.body.text?.includes(`${requestId} (Miradore) was approved by Megan Bowen`));

    // Teams has an outage for Alex's chat just as Megan approves: the news waits in the outbox instead of being lost.
    connector.refuse(`a:${alex.aadObjectId}`, 503);
    await bot.post(actionInvoke(connector.url, megan, verbs.approve, approve.data!, 'approval-news'));
    await onboard.inflight.idle(BUDGET);
    expect(news()).toHaveLength(0);

    connector.accept(`a:${alex.aadObjectId}`);
    clock.advance(5 * 60_000);
    await onboard.outboxSweeper.runOnce();
    await onboard.outboxSweeper.runOnce();
    expect(news()).toHaveLength(1);
  });
});

describe('delivery through the outbox: a bot that dies after storing the request', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
  const membership = new InMemoryMembership({ [APPROVERS]: [jo.aadObjectId, megan.aadObjectId] });
  let first: Onboard;
  const bot = client(connector, () => first);
  let reached!: () => void;
  const stalled = new Promise<void>((r) => (reached = r));

  beforeAll(async () => {
    await connector.start();
    // The first instance stops dead once the request is stored and queued: it never sends anything.
    const dies = (teams: DeliveryChannel): DeliveryChannel => ({ ...teams, recipients: () => (reached(), new Promise(() => undefined)), send: (row, request) => teams.send(row, request), report: (...a) => teams.report(...a) });
    first = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { clock, membership, deliveryChannel: dies });
    await bot.listen();
    await bot.say(jo, 'help');
    await bot.say(megan, 'help');
  });
  afterAll(async () => {
    first.server.close();
    await connector.stop();
  });

  it('delivers each approval card exactly once after a restart, even with two instances sweeping at once', async () => {
    const { text, requestId } = await bot.submit('onboard miradore', 'preview-crash');
    expect(text).toContain(`Submitted as ${requestId}.`);
    await stalled;
    first.server.close();
    expect(approvalCardsTo(connector.posts, megan, requestId)).toHaveLength(0);

    // Two fresh instances on the same tables, after the dead one's claim has lapsed.
    clock.advance(CLAIM_MS + 1_000);
    const env = { APPROVERS_GROUP_ID: APPROVERS, TABLES_PREFIX: first.config.tables.prefix };
    const [second, third] = [composeForTest(env, { clock, membership }), composeForTest(env, { clock, membership })];
    await Promise.all([second.outboxSweeper.runOnce(), third.outboxSweeper.runOnce()]);
    await Promise.all([second.outboxSweeper.runOnce(), third.outboxSweeper.runOnce()]);
    await Promise.all([second.close(), third.close()]);

    expect(approvalCardsTo(connector.posts, megan, requestId)).toHaveLength(1);
    expect(approvalCardsTo(connector.posts, jo, requestId)).toHaveLength(1);
    expect(cardText(requesterCard(connector.posts, 'preview-crash'))).toContain('Sent to 2 approvers (');
  });
});

describe('approvals in a team channel reach every approver, with buttons only for them', () => {
  const connector = new FakeConnector();
  const nestor: TeamsUser = { id: '29:nestor', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Nestor Wilke' };
  const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Adele Vance' };
  const channel = { id: '19:approvals@thread.tacv2', conversationType: 'channel', name: 'Approvals', tenantId: TENANT_ID };
  let onboard: Onboard;
  const bot = client(connector, () => onboard);
  type ChannelCard = Card & { refresh?: { action: { verb: string; data: Record<string, string> }; userIds: string[] } };
  const verbsOf = (card: unknown) => ((card as Card).actions ?? []).map((a) => a.verb);
  const clickIn = async (user: TeamsUser, verb: string, data: Record<string, string>) => (await bot.post({ ...actionInvoke(connector.url, user, verb, data, 'channel-card'), conversation: channel }))!.value;
  const channelCards = () => connector.posts.filter((p) => p.path.includes(encodeURIComponent(channel.id)) && p.body.attachments).map((p) => p.body.attachments![0].content as ChannelCard);

  beforeAll(async () => {
    await connector.start();
    // Megan and Nestor approve; Nestor has never messaged Onboard: the team channel is his only conversation with it.
    connector.roster(channel.id, [alex, adele, nestor, megan]);
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { membership: new InMemoryMembership({ [APPROVERS]: [megan.aadObjectId, nestor.aadObjectId] }) });
    await bot.listen();
    await bot.post({ ...personalMessage(connector.url, megan, 'set approvals channel', 'm-set'), conversation: channel });
    await onboard.inflight.idle(BUDGET);
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
  });

  it('lists roster approvers for refresh, keeps refresh through the first of two approvals, and never shows others the buttons', async () => {
    const { requestId } = await bot.submit('onboard cirrus connect mail application for fabrikam.cirrus.example', 'preview-channel');
    await onboard.inflight.idle(BUDGET);
    const [posted] = channelCards();
    expect(cardText(posted)).toContain(requestId);
    expect(posted.refresh?.userIds).toEqual(expect.arrayContaining([nestor.id, megan.id]));
    expect(posted.refresh?.userIds).not.toContain(adele.id);
    // Read-only for everyone; "Show my options" asks the server for the clicker's own view.
    expect(verbsOf(posted)).toEqual([verbs.refresh]);
    const data = posted.refresh!.action.data;

    const nestorsView = await clickIn(nestor, verbs.refresh, data);
    expect(verbsOf(nestorsView)).toContain(verbs.approve);
    expect(verbsOf(await clickIn(adele, verbs.refresh, data))).not.toContain(verbs.approve);
    const approve = (nestorsView as Card).actions!.find((a) => a.verb === verbs.approve)!;
    expect(cardText(await clickIn(nestor, verbs.approve, approve.data!))).toMatch(/1 more approval\(s\) needed/);
    await onboard.inflight.idle(BUDGET);

    // The channel card after the first approval: still read-only, still refreshing for the approvers.
    const updated = connector.posts.filter((p) => p.method === 'PUT' && p.path.includes(encodeURIComponent(channel.id))).at(-1)!.body.attachments![0].content as ChannelCard;
    expect(verbsOf(updated)).not.toContain(verbs.approve);
    expect(updated.refresh?.userIds).toEqual(expect.arrayContaining([nestor.id, megan.id]));
    const megansView = await clickIn(megan, verbs.refresh, updated.refresh!.action.data);
    expect(verbsOf(megansView)).toContain(verbs.approve);
    expect(verbsOf(await clickIn(adele, verbs.refresh, updated.refresh!.action.data))).not.toContain(verbs.approve);
    expect(cardText(await clickIn(megan, verbs.approve, approve.data!))).toContain('Approved by Nestor Wilke and Megan Bowen');
    const status = cardText((await bot.say(alex, `status ${requestId}`)).attachments![0].content);
    expect(status).toContain('Approved');
  });
});
