import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { FAULT_ENV, type LocalCloud } from '../../src/localcloud';
import { graphClient, rawGraph, startTestCloud, type Body } from './helpers';

describe('fault injection', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  // Strong consistency: replication lag here comes from the fault rules under test, counted per rule.
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ consistency: 'strong' })));
  afterAll(async () => stop());
  beforeEach(() => cloud.faults.clear());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('answers 429 with Retry-After, and the Graph client\'s RetryHandler waits and retries', async () => {
    cloud.faults.set({ id: 'throttle-list', route: 'GET /v1.0/organization', status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const organization = await graphClient(cloud).api('/organization').get();
    expect(organization.value[0].displayName).toBe('Contoso (local)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(cloud.faults.counts()).toMatchObject({ throttled: 1, total: 1, byRule: { 'throttle-list': { throttled: 1 } } });
  });

  it('makes a new application invisible for the replication lag, with Graph\'s real errors', async () => {
    cloud.faults.set({ id: 'lag', route: 'POST /v1.0/applications', replicationLagMs: 1200 });
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'Lagging app' });
    await expect(graph.api('/servicePrincipals').post({ appId: app.appId })).rejects.toMatchObject({
      statusCode: 400, code: 'Request_BadRequest', message: `The appId '${app.appId}' of the service principal does not reference a valid application object.`,
    });
    await expect(graph.api(`/applications/${app.id}`).get()).rejects.toMatchObject({
      statusCode: 404, code: 'Request_ResourceNotFound', message: `Resource '${app.id}' does not exist or one of its queried reference-property objects are not present.`,
    });
    expect(cloud.faults.counts().byRule.lag.replicationLag).toBe(2);
    await new Promise((done) => setTimeout(done, 1250));
    const sp = await graph.api('/servicePrincipals').post({ appId: app.appId });
    expect(sp.appId).toBe(app.appId);
  });

  it('adds latency with jitter and 503s, through the admin endpoint, and counts each', async () => {
    const put = await fetch(`${cloud.url}/_localcloud/faults`, { method: 'PUT', body: JSON.stringify([{ id: 'slow', route: '/v1.0/organization', latencyMs: 150, jitterMs: 50 }, { id: 'down', route: 'GET /v1.0/groups', status: 503, times: 1 }]) });
    expect(put.status).toBe(200);
    const started = Date.now();
    expect((await rawGraph(cloud, 'GET', '/organization')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const down = await rawGraph(cloud, 'GET', '/groups');
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('serviceNotAvailable');
    const counts = await (await fetch(`${cloud.url}/_localcloud/faults/counts`)).json();
    expect(counts).toMatchObject({ latency: 1, unavailable: 1, total: 2 });
    expect((await fetch(`${cloud.url}/_localcloud/faults`, { method: 'POST', body: '{"route": 5}' })).status).toBe(400);
  });

  it('reads fault rules from the environment', async () => {
    const { cloud: envCloud, stop: stopEnv } = await startTestCloud({ env: { [FAULT_ENV.throttle]: '1,2', [FAULT_ENV.latency]: '10' } });
    try {
      const reply = await rawGraph(envCloud, 'GET', '/organization');
      expect(reply.status).toBe(429);
      expect(reply.headers.get('retry-after')).toBe('2');
      // The latency rule covers every route: discovery, token and the Graph call itself.
      expect(envCloud.faults.counts()).toMatchObject({ throttled: 1, latency: 3 });
    } finally {
      await stopEnv();
    }
  });

  it('answers 424 in $batch for the requests that depend on a failed one', async () => {
    // The Graph client accepts only fully parallel or fully sequential batches, so this one is a chain.
    const graph = graphClient(cloud);
    const json = { 'Content-Type': 'application/json' };
    const content = new BatchRequestContent([
      { id: '1', request: new Request(`${cloud.graphBaseUrl}/servicePrincipals`, { method: 'POST', headers: json, body: JSON.stringify({ appId: '11111111-2222-4333-8444-555555555555' }) }) },
      { id: '2', request: new Request(`${cloud.graphBaseUrl}/applications`, { method: 'POST', headers: json, body: JSON.stringify({ displayName: 'Never made' }) }), dependsOn: ['1'] },
      { id: '3', request: new Request(`${cloud.graphBaseUrl}/organization`, { method: 'GET' }), dependsOn: ['2'] },
    ]);
    const responses = new BatchResponseContent(await graph.api('/$batch').post(await content.getContent()));
    expect(responses.getResponseById('1').status).toBe(400);
    const dependant = responses.getResponseById('2');
    expect(dependant.status).toBe(424);
    expect(((await dependant.json()) as Body).error.code).toBe('FailedDependency');
    expect(responses.getResponseById('3').status).toBe(424);
    expect(cloud.state.applications.some((a) => a.displayName === 'Never made')).toBe(false);
  });

  it('throttles a $batch sub-request on its own, as Graph does', async () => {
    cloud.faults.set({ route: 'GET /v1.0/organization', status: 429, retryAfterSeconds: 3 });
    const reply = await rawGraph(cloud, 'POST', '/$batch', { requests: [{ id: 'a', method: 'GET', url: '/organization' }, { id: 'b', method: 'GET', url: '/groups' }] });
    expect(reply.status).toBe(200);
    const byId = Object.fromEntries(reply.json.responses.map((r: Body) => [r.id, r]));
    expect(byId.a).toMatchObject({ status: 429, headers: { 'Retry-After': '3' } });
    expect(byId.b.status).toBe(200);
    expect(byId.b.body.value.map((g: Body) => g.displayName)).toContain('Onboard Approvers');
  });
});
