import type { AddressInfo } from 'node:net';
import { FakeConnector, personalMessage, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { InMemoryMembership } from '../support/fakes';
import { cardText } from '../support/teamsTurns';
import { budgetMs } from '../support/budget';
import { tableHandoff } from '../../src/compose';
import { OutboxNotifier } from '../../src/app/handoff/outboxNotifier';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { submitRequest } from '../../src/domain/request';
import { createDomainPlanner } from '../../src/app/requests/domainPlanner';

const APPROVERS = '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05';
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const BUDGET = budgetMs(20, 1_000);

/**
 * A request the worker makes (the re-grant after an offboarded app is restored) reaches the approvers as any submit
 * does: the worker has no Bot Framework identity, so it names the request in a notice and the bot sends the cards.
 */
describe('a request the worker made reaches the approvers through the bot', () => {
  const connector = new FakeConnector();
  let onboard: ReturnType<typeof composeForTest>;

  beforeAll(async () => {
    await connector.start();
    onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS }, { membership: new InMemoryMembership({ [APPROVERS]: [megan.aadObjectId, adele.aadObjectId] }) });
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    for (const who of [megan, adele]) await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(personalMessage(connector.url, who, 'help', `hello-${who.name}`)) });
    await onboard.inflight.idle(BUDGET);
  });
  afterAll(async () => {
    onboard.server.close();
    await onboard.close();
    await connector.stop();
  });

  it('sends the approval card to every approver once, and nothing for a request decided meanwhile', async () => {
    const tables = createTableClientFactory(onboard.config.tables);
    const requests = new TableRequestStore(tables);
    const handoff = tableHandoff(tables);
    const worker = new OutboxNotifier(handoff.notices, handoff.bot);
    const plan = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 })('onboard miradore', {}, {}, 'REQ-WORKER1');
    if (plan.kind !== 'plan') throw new Error(plan.kind);
    const made = (id: string) => submitRequest({ id, requester: { id: megan.aadObjectId, name: megan.name }, title: 'Re-grant after restore: Miradore', text: 're-grant', plan: plan.plan, planHash: plan.planHash, risk: plan.risk, requiredApprovals: 1, expiresAfterMs: 86_400_000 }, new Date());
    const pending = made('REQ-WORKER1');
    const decided = { ...made('REQ-WORKER2'), state: 'Cancelled' as const };
    await requests.create(pending);
    await requests.create(decided);
    await worker.submitted(pending);
    await worker.submitted(pending);
    await worker.submitted(decided);

    await onboard.notices.runOnce();
    await onboard.inflight.idle(BUDGET);
    const cards = (id: string, who: TeamsUser) => connector.posts.filter((p) => p.method === 'POST' && p.path.includes(encodeURIComponent(`a:${who.aadObjectId}`)) && p.body.attachments?.some((a) => cardText(a.content).includes('asks you to approve') && cardText(a.content).includes(id)));
    expect(cards('REQ-WORKER1', adele)).toHaveLength(1);
    expect(cards('REQ-WORKER2', adele)).toHaveLength(0);
  });
});
