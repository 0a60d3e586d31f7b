import type { AddressInfo } from 'node:net';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import type { AuditEvent } from '../../src/app/workflowPorts';
import { verbs } from '../../src/teams/verbs';
import { FakeConnector, actionInvoke, messageActivity } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { cardText } from '../support/teamsTurns';

const FOREIGN_TENANT = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const mallory = { id: '29:mallory', name: 'Mallory Outsider', aadObjectId: '7f7f7f7f-1111-4222-8333-944444444444' };

/**
 * Azure creates a Web Chat channel on every bot, and a bot installed in another tenant's Teams gets
 * that tenant's turns. Onboard serves only Teams, and only its own tenant: everything else is refused,
 * told so where a reply can go, and audited.
 */
describe('the edge gate: only channel msteams, only the bot\'s own tenant', () => {
  const connector = new FakeConnector();
  let onboard: ReturnType<typeof composeForTest>;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest();
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
    return { status: response.status, body: text ? (JSON.parse(text) as { value?: unknown }) : undefined };
  };
  const replyTo = (id: string) => connector.replyTo(id);
  const refusals = async () => {
    const events: AuditEvent[] = [];
    for await (const e of new TableAuditLog(createTableClientFactory(onboard.config.tables)).since(new Date(0))) if (e.outcome === 'refused') events.push(e);
    return events;
  };

  it('serves a Teams message from its own tenant (the control for the refusals below)', async () => {
    await post(messageActivity(connector.url, 'help', 'own-1'));
    expect(cardText((await replyTo('own-1')).attachments![0].content)).toContain('onboard');
  });

  it('refuses a message from another tenant, says why, and audits it', async () => {
    const foreign = { ...messageActivity(connector.url, 'help', 'foreign-1'), from: mallory, channelData: { tenant: { id: FOREIGN_TENANT } }, conversation: { id: 'a:mallory', conversationType: 'personal', tenantId: FOREIGN_TENANT } };
    await post(foreign);
    const reply = await replyTo('foreign-1');
    expect(reply.attachments ?? []).toEqual([]);
    expect(reply.text).toMatch(/serves only its own organization/);
    expect(await refusals()).toContainEqual(expect.objectContaining({ action: 'turn.tenant', actor: { id: mallory.aadObjectId, name: mallory.name }, detail: expect.stringContaining(FOREIGN_TENANT) }));
  });

  it('refuses a turn whose conversation names another tenant than its channel data', async () => {
    const mixed = { ...messageActivity(connector.url, 'help', 'mixed-1'), conversation: { id: 'a:conv-1', conversationType: 'personal', tenantId: FOREIGN_TENANT } };
    await post(mixed);
    expect((await replyTo('mixed-1')).text).toMatch(/serves only its own organization/);
  });

  it('refuses a turn that names no tenant at all', async () => {
    const { channelData: _dropped, conversation, ...rest } = messageActivity(connector.url, 'help', 'none-1');
    await post({ ...rest, conversation: { id: conversation.id, conversationType: 'personal' } });
    expect((await replyTo('none-1')).text).toMatch(/serves only its own organization/);
  });

  it('refuses a message from the Web Chat channel, with a pointer to Teams, and audits it', async () => {
    await post({ ...messageActivity(connector.url, 'status', 'webchat-1'), channelId: 'webchat' });
    const reply = await replyTo('webchat-1');
    expect(reply.attachments ?? []).toEqual([]);
    expect(reply.text).toMatch(/works only in Microsoft Teams/);
    expect(await refusals()).toContainEqual(expect.objectContaining({ action: 'turn.channel', detail: expect.stringContaining('webchat') }));
  });

  it('answers a card click from another tenant with the refusal, and decides nothing', async () => {
    const click = { ...actionInvoke(connector.url, mallory, verbs.approve, { requestId: 'REQ-ANY', planHash: 'x' }, 'card-1'), channelData: { tenant: { id: FOREIGN_TENANT } } };
    const answer = await post(click);
    expect(answer.status).toBe(200);
    expect(cardText(answer.body?.value) || String(answer.body?.value)).toMatch(/serves only its own organization/);
    const events = await refusals();
    expect(events).toContainEqual(expect.objectContaining({ action: 'turn.tenant', actor: { id: mallory.aadObjectId, name: mallory.name } }));
    expect(events.some((e) => e.action === 'approve')).toBe(false);
  });
});
