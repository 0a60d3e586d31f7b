import { startTestCloud, graphClient, rawGraph } from './helpers';

/**
 * "A successful write to Microsoft Entra does not guarantee that an immediate read will reflect that change"
 * (https://devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/). The local
 * cloud lags a seeded fifth of new objects by default, so every test that does not opt out meets it.
 */
describe('eventual consistency, on by default', () => {
  it('makes some just-created applications 404 for a moment, and every one readable afterwards', async () => {
    const { cloud, stop } = await startTestCloud({ seed: 7 });
    try {
      expect(cloud.consistency.counts().mode).toBe('eventual');
      const graph = graphClient(cloud);
      const ids: string[] = [];
      const first = [];
      for (let i = 0; i < 20; i++) {
        const id = (await graph.api('/applications').post({ displayName: `Lagging ${i}` })).id as string;
        ids.push(id);
        first.push(await rawGraph(cloud, 'GET', `/applications/${id}`));
      }
      const missing = first.filter((r) => r.status === 404);
      expect(missing.length).toBeGreaterThan(0);
      expect(missing[0].json.error.code).toBe('Request_ResourceNotFound');
      expect(cloud.consistency.counts()).toMatchObject({ mode: 'eventual', laggedObjects: expect.any(Number) });
      expect(cloud.consistency.counts().failedRequests).toBeGreaterThanOrEqual(missing.length);
      // Wait on the event (each app readable), not on a clock: the lag is at most 1.5 s, well inside the test's budget.
      for (const id of ids) {
        let reply = await rawGraph(cloud, 'GET', `/applications/${id}`);
        while (reply.status === 404) {
          await new Promise((resolve) => setImmediate(resolve));
          reply = await rawGraph(cloud, 'GET', `/applications/${id}`);
        }
        expect(reply.status).toBe(200);
      }
    } finally {
      await stop();
    }
  });

  it('is off when a test asks for strong consistency', async () => {
    const { cloud, stop } = await startTestCloud({ consistency: 'strong' });
    try {
      const graph = graphClient(cloud);
      for (let i = 0; i < 10; i++) {
        const app = await graph.api('/applications').post({ displayName: `Visible ${i}` });
        expect((await rawGraph(cloud, 'GET', `/applications/${app.id}`)).status).toBe(200);
      }
      expect(cloud.consistency.counts()).toEqual({ mode: 'strong', laggedObjects: 0, failedRequests: 0 });
    } finally {
      await stop();
    }
  });
});
