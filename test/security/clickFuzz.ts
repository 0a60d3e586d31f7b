/** 6,000 of the 10,000 fuzz inputs, in two files so that each stays short: Action.Execute clicks over HTTP. */
import fc from 'fast-check';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { parseAction } from '../../src/teams/actions/actionInput';
import { actionInvoke, type TeamsUser } from '../support/fakeConnector';
import { budgetMs } from '../support/budget';
import { action, apology, fuzzHarness, inParallel, knownVerbs, post, user } from './fuzzInputs';

export function clickFuzzSuite(count: number, seed: number): void {
  describe(`fuzzing what cards send (${count.toLocaleString('en')} Action.Execute clicks, seed ${seed})`, () => {
    const h = fuzzHarness();

    it(`${count.toLocaleString('en')} clicks: none a 500 or the apology, and every refusal of the router audited`, async () => {
      const clicks = fc.sample(action, { numRuns: count, seed });
      const statuses: Record<number, number> = {};
      const apologies: unknown[] = [];
      // What the router must refuse and audit: a verb nobody handles, or data it cannot accept (after the JSON trip).
      const expected = new Map<string, number>();
      await inParallel(clicks, 16, async (c, i) => {
        const who = user(1000 + (i % 50));
        const activity = actionInvoke(h.connector.url, c.signedIn ? who : { id: who.id, name: who.name } as TeamsUser, c.verb, c.data as Record<string, unknown>, `card-${i}`);
        const sent = JSON.parse(JSON.stringify(activity));
        const refusedByRouter = !knownVerbs.includes(c.verb.slice(0, 64)) || !parseAction({ activity: sent } as never, sent.value.action.data).ok;
        const named = c.verb.slice(0, 64) || 'unknown';
        if (refusedByRouter) expected.set(named, (expected.get(named) ?? 0) + 1);
        const { status, body } = await post(h.url, activity);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (apology.test(body)) apologies.push({ click: c, body: body.slice(0, 300) });
      });
      expect(apologies).toEqual([]);
      expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
      expect(statuses[200]).toBe(clicks.length);

      const audited = new Map<string, number>();
      for (const e of await new TableAuditLog(createTableClientFactory(h.onboard.config.tables)).forRequest('tenant')) {
        if (e.outcome === 'refused') audited.set(e.action, (audited.get(e.action) ?? 0) + 1);
      }
      expect([...expected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(count / 6);
      expect(new Map([...audited].sort())).toEqual(new Map([...expected].sort()));
    }, budgetMs(count, 30));
  });
}
