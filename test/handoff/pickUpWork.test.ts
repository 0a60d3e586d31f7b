import { PickUpWork } from '../../src/app/handoff/pickUpWork';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { approve, submitRequest } from '../../src/domain/request';
import { createDomainPlanner } from '../../src/app/requests/domainPlanner';
import { systemClock } from '../../src/app/ports';
import { testTables } from '../support/tables';

const alex = { id: 'alex', name: 'Alex Wilber' };
const megan = { id: 'megan', name: 'Megan Bowen' };

async function approvedRequests(store: TableRequestStore, count: number): Promise<string[]> {
  const planner = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `REQ-PICK${i}`;
    const outcome = planner('onboard miradore', {}, {}, id);
    if (outcome.kind !== 'plan') throw new Error('no plan');
    const now = new Date();
    const submitted = submitRequest({ id, requester: alex, title: outcome.title, text: 'onboard miradore', plan: outcome.plan, planHash: outcome.planHash, risk: outcome.risk, requiredApprovals: 1, expiresAfterMs: 86_400_000 }, now);
    const approved = approve(submitted, megan, now);
    if (!approved.ok) throw new Error('not approved');
    await store.create(approved.request);
    ids.push(id);
  }
  return ids;
}

describe('the worker stopping (a deploy or a scale-in sends SIGTERM)', () => {
  it('finishes the sagas it runs but starts none of those still waiting their turn, which stay Approved for the next worker', async () => {
    const store = new TableRequestStore(createTableClientFactory(testTables()));
    const ids = await approvedRequests(store, 3);
    const started: string[] = [];
    let finishFirst!: () => void;
    const first = new Promise<void>((resolve) => (finishFirst = resolve));
    const pickUp = new PickUpWork({ requests: store, clock: systemClock, concurrency: 1, run: async (id) => { started.push(id); if (started.length === 1) await first; } });

    expect(await pickUp.execute()).toBe(3);
    expect(started).toHaveLength(1);
    const stopped = pickUp.stop();
    finishFirst();
    await stopped;

    expect(started).toHaveLength(1);
    expect(pickUp.running).toBe(0);
    const left = await Promise.all(ids.filter((id) => !started.includes(id)).map((id) => store.get(id)));
    expect(left.map((r) => r?.value.state)).toEqual(['Approved', 'Approved']);
  });

  it('starts nothing once stopped, even if a late wake-up asks', async () => {
    const store = new TableRequestStore(createTableClientFactory(testTables()));
    await approvedRequests(store, 2);
    const started: string[] = [];
    const pickUp = new PickUpWork({ requests: store, clock: systemClock, concurrency: 4, run: async (id) => void started.push(id) });
    await pickUp.stop();
    expect(await pickUp.execute()).toBe(0);
    expect(started).toEqual([]);
  });
});
