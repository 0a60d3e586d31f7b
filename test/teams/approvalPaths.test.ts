import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeConnector, personalMessage, actionInvoke, TENANT_ID, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { InMemoryMembership, ManualClock } from '../support/fakes';
import { cardText } from '../support/teamsTurns';
import { actionHandlers } from '../../src/teams/actions/actionRouter';
import { cardsFolder } from '../../src/teams/cards';
import { verbs } from '../../src/teams/verbs';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';

const APPROVERS = '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05';
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };

type Card = { actions?: { verb?: string; title: string; data?: Record<string, string>; card?: { actions: { verb: string; data: Record<string, string> }[] } }[] };

describe('reject, cancel, expiry, status and the approvals channel, through Teams activities', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
  let onboard: ReturnType<typeof composeForTest>;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { clock, membership: new InMemoryMembership({ [APPROVERS]: [megan.aadObjectId] }) });
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    // The approver has talked to the bot once, so Onboard can reach them in their personal chat.
    await say(megan, 'help');
  });
  afterAll(async () => {
    onboard.server.close();
    await connector.stop();
  });

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  /** Sends a message and returns the bot's reply to it (not some background notification that lands meanwhile). */
  const say = async (user: TeamsUser, text: string, conversation?: object) => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post({ ...personalMessage(connector.url, user, text, id), ...(conversation ? { conversation } : {}) });
    const reply = () => connector.posts.find((p) => p.method === 'POST' && p.path.endsWith(`/activities/${id}`));
    for (let i = 0; i < 100 && !reply(); i++) await new Promise((r) => setTimeout(r, 20));
    return reply()!.body;
  };
  const submitted = async (text: string) => {
    const preview = (await say(alex, text)).attachments![0].content as Card;
    const before = connector.posts.length;
    const reply = await post(actionInvoke(connector.url, alex, 'request.submit', { ...preview.actions!.find((a) => a.verb === 'request.submit')!.data!, 'input.justification': 'Needed for the contact centre go-live.' }, `preview-${Math.random()}`));
    const requestId = /REQ-[A-Z0-9]+/.exec(cardText(reply!.value))![0];
    // Approval cards go out after the click is answered (the outbox): wait for that work, then find this request's card.
    await onboard.inflight.idle(10_000);
    const approval = connector.posts.slice(before).find((p) => p.method === 'POST' && p.body.attachments && cardText(p.body.attachments[0].content).includes(requestId))!.body.attachments![0].content as Card;
    return { requestId, approval };
  };

  it('rejects with a required reason, and the requester reads it', async () => {
    const { requestId, approval } = await submitted('onboard miradore');
    const reject = approval.actions!.find((a) => a.title === 'Reject')!.card!.actions[0];
    expect(reject.verb).toBe(verbs.reject);
    const noReason = await post(actionInvoke(connector.url, megan, reject.verb, { ...reject.data, reason: '' }, 'a-1'));
    expect(cardText(noReason!.value)).toContain('Please give a reason');
    const done = await post(actionInvoke(connector.url, megan, reject.verb, { ...reject.data, reason: 'We already have Miradore connected' }, 'a-1'));
    expect(cardText(done!.value)).toContain('Rejected by Megan Bowen: We already have Miradore connected');
    await onboard.inflight.idle(5_000);
    expect(connector.posts.some((p) => p.body.text === `${requestId} (Miradore) was rejected by Megan Bowen: We already have Miradore connected`)).toBe(true);
  });

  it('lets the requester cancel; a later approve sees the cancelled state', async () => {
    const preview = (await say(alex, 'onboard securends')).attachments![0].content as Card;
    const reply = await post(actionInvoke(connector.url, alex, 'request.submit', { ...preview.actions!.find((a) => a.verb === 'request.submit')!.data!, 'input.justification': 'Needed for the contact centre go-live.' }, 'p-2'));
    const cancel = (reply!.value as Card).actions!.find((a) => a.verb === verbs.cancel)!;
    const cancelled = await post(actionInvoke(connector.url, alex, cancel.verb!, cancel.data!, 'p-2'));
    expect(cardText(cancelled!.value)).toContain('Cancelled by Alex Wilber');
    const late = await post(actionInvoke(connector.url, megan, verbs.approve, cancel.data!, 'a-2'));
    expect(cardText(late!.value)).toContain('it is cancelled');
  });

  it('expires a request nobody decided on, and tells the requester', async () => {
    const { requestId, approval } = await submitted('onboard cirrus insight email sync');
    clock.advance(8 * 86_400_000);
    await onboard.sweeper.runOnce();
    await onboard.inflight.idle(5_000);
    expect(connector.posts.some((p) => p.body.text?.startsWith(`${requestId} (Cirrus Insight service account) expired without a decision`))).toBe(true);
    const late = await post(actionInvoke(connector.url, megan, verbs.approve, approval.actions!.find((a) => a.verb === verbs.approve)!.data!, 'a-3'));
    expect(cardText(late!.value)).toContain('it is expired');
  });

  it('lists the requester\'s requests, and shows one to an approver', async () => {
    const list = await say(alex, 'status');
    expect(cardText(list.attachments![0].content)).toMatch(/Rejected[\s\S]*|Cancelled/);
    const { requestId } = await submitted('onboard miradore without group filtering');
    const one = await say(megan, `status ${requestId.toLowerCase()}`);
    expect(cardText(one.attachments![0].content)).toContain(requestId);
    expect((one.attachments![0].content as Card).actions!.map((a) => a.title)).toContain('Approve');
  });

  it('posts approval cards to the approvals channel once an approver sets it, with per-user refresh', async () => {
    const channel = { id: '19:approvals@thread.tacv2', conversationType: 'channel', name: 'Approvals', tenantId: TENANT_ID };
    const refused = await say(alex, 'set approvals channel', channel);
    expect(refused.text).toContain('Only members of the Onboard approvers group');
    const set = await say(megan, 'set approvals channel', channel);
    expect(set.text).toContain('approval cards will be posted in this channel');
    const before = connector.posts.length;
    await submitted('onboard cirrus connect calendar for contoso.cirrus.example');
    const inChannel = connector.posts.slice(before).find((p) => p.path.includes(encodeURIComponent(channel.id)) && p.body.attachments);
    const card = inChannel!.body.attachments![0].content as Card & { refresh?: { action: { verb: string }; userIds: string[] } };
    expect(card.refresh?.action.verb).toBe(verbs.refresh);
    expect(card.refresh?.userIds).toContain(megan.id);
    // Read-only for everyone: the one button asks the server for the clicker's own view.
    expect((card.actions ?? []).map((a) => a.verb)).toEqual([verbs.refresh]);
    const mine = await post(actionInvoke(connector.url, megan, verbs.refresh, (card.refresh!.action as unknown as { data: Record<string, string> }).data, 'c-1', channel.id));
    expect((mine!.value as Card).actions!.map((a) => a.title)).toEqual(['Approve', 'Reject']);
    // No roster here (the fake connector does not know the team): Onboard falls back quietly, never with an apology in the channel.
    expect(connector.posts.filter((p) => p.path.includes(encodeURIComponent(channel.id)) && p.body.text?.startsWith('Sorry'))).toEqual([]);
  });

  it('audits an unknown verb', async () => {
    await post(actionInvoke(connector.url, alex, 'approval.approve-everything', {}, 'x'));
    const audit = new TableAuditLog(createTableClientFactory(onboard.config.tables));
    const events: string[] = [];
    for await (const e of audit.since(new Date(0))) if (e.outcome === 'refused') events.push(e.action);
    expect(events).toContain('approval.approve-everything');
  });
});

describe('card verbs', () => {
  it('every verb a card template uses has a handler', () => {
    const used = new Set<string>();
    for (const file of readdirSync(cardsFolder).filter((f) => f.endsWith('.card.json'))) {
      for (const m of readFileSync(join(cardsFolder, file), 'utf8').matchAll(/"verb":\s*"\$\{verbs\.(\w+)\}"|"verb":\s*"([\w.]+)"/g)) used.add(m[1] ? verbs[m[1] as keyof typeof verbs] : m[2]);
    }
    used.add(verbs.refresh);
    expect(used.size).toBeGreaterThan(4);
    for (const verb of used) expect(actionHandlers.has(verb)).toBe(true);
  });
});
