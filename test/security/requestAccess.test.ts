import type { AddressInfo } from 'node:net';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import type { AuditEvent } from '../../src/app/workflowPorts';
import { verbs } from '../../src/teams/verbs';
import { FakeConnector, actionInvoke, personalMessage, type TeamsUser } from '../support/fakeConnector';
import { InMemoryMembership, ManualClock } from '../support/fakes';
import { composeForTest } from '../support/onboard';
import { cardText } from '../support/teamsTurns';

const APPROVERS = '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05';
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const patti: TeamsUser = { id: '29:patti', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' };

type Card = { actions?: { verb?: string; title: string; data?: Record<string, string> }[] };

/**
 * `status REQ-…` shows a request only to its requester, the approvers and the helpdesk; the card's
 * refresh verb must not be a side door. And a request past its expiry takes no decision, even before
 * the sweeper has marked it Expired.
 */
describe('request access: refresh checks like status; decisions check expiresAt', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
  let onboard: ReturnType<typeof composeForTest>;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS, REQUEST_EXPIRY_DAYS: '7' }, { clock, membership: new InMemoryMembership({ [APPROVERS]: [megan.aadObjectId] }) });
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
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  const say = async (user: TeamsUser, text: string) => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post(personalMessage(connector.url, user, text, id));
    return connector.replyTo(id);
  };
  const submitted = async (text: string) => {
    const preview = (await say(alex, text)).attachments![0].content as Card;
    const reply = await post(actionInvoke(connector.url, alex, verbs.submit, { ...preview.actions!.find((a) => a.verb === verbs.submit)!.data!, 'input.justification': 'Needed for the service desk.' }, `preview-${Math.random()}`));
    const card = reply!.value as Card;
    return { requestId: /REQ-[A-Z0-9-]+/.exec(cardText(card))![0], data: card.actions!.find((a) => a.verb === verbs.cancel)!.data! };
  };
  const refusals = async (action: string) => {
    const events: AuditEvent[] = [];
    for await (const e of new TableAuditLog(createTableClientFactory(onboard.config.tables)).since(new Date(0))) if (e.outcome === 'refused' && e.action === action) events.push(e);
    return events;
  };

  it('refresh shows a request to nobody that status would not show it to', async () => {
    const { requestId, data } = await submitted('onboard miradore');
    expect((await say(patti, `status ${requestId}`)).text).toContain('is not yours');
    const sideDoor = await post(actionInvoke(connector.url, patti, verbs.refresh, data, 'c-1'));
    expect(typeof sideDoor!.value).toBe('string');
    expect(sideDoor!.value).toContain('is not yours');
    expect(cardText(sideDoor!.value)).not.toContain('Miradore');
    expect(await refusals('refresh')).toContainEqual(expect.objectContaining({ actor: { id: patti.aadObjectId, name: patti.name }, requestId }));
    // The requester and the approvers still get their own views.
    expect((((await post(actionInvoke(connector.url, megan, verbs.refresh, data, 'c-1')))!.value as Card).actions ?? []).map((a) => a.title)).toContain('Approve');
    expect(cardText((await post(actionInvoke(connector.url, alex, verbs.refresh, data, 'c-1')))!.value)).toContain(requestId);
  });

  it('an approval after expiresAt is refused before the sweeper has run, and audited', async () => {
    const { requestId, data } = await submitted('onboard securends');
    clock.advance(7 * 86_400_000 + 60_000);
    const late = await post(actionInvoke(connector.url, megan, verbs.approve, data, 'a-1'));
    expect(cardText(late!.value) || String(late!.value)).toMatch(/expired .* without a decision/);
    const reject = await post(actionInvoke(connector.url, megan, verbs.reject, { ...data, reason: 'too late anyway' }, 'a-1'));
    expect(cardText(reject!.value) || String(reject!.value)).toMatch(/expired .* without a decision/);
    expect((await refusals('approve')).map((e) => e.requestId)).toContain(requestId);
    expect(cardText((await say(megan, `status ${requestId}`)).attachments![0].content)).not.toContain('Approved by');
  });
});
