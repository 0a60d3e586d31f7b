import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import { handoverSecretName } from '../../src/domain/provisioning';
import { credentialFor, graphClient, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { seedRecipeCases } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, testGuard } from '../support/provisioningStack';
import { DirectoryError } from '../../src/app/directoryPort';
import type { PreWriteGuard } from '../../src/app/provisioning/preWriteGuard';
import type { RegistrationRequest } from '../../src/domain/request';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';
import type { InMemorySecretVault } from '../support/provisioningVault';

describe('provisioning under throttling, outages and replication lag', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let auditor: Client;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    auditor = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Test auditor', graphRoles: ['Application.Read.All', 'DelegatedPermissionGrant.Read.All'] })));
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('30% of Graph calls answered 429 or 503 and 3 s of replication lag: every recipe still completes exactly', async () => {
    const graphSpId = await graphServicePrincipalId(auditor);
    const stack = provisioningStack(endpointsOf(cloud, testTables()));
    const cases = seedRecipeCases.map((c) => ({ id: newRequestId(), build: c.build })).map((c) => ({ ...c, plan: c.build(c.id) }));
    for (const c of cases) await approvedRequest(stack.requests, c.id, c.plan);
    cloud.faults.set([
      { id: 'throttled', route: '/v1.0/*', status: 429, probability: 0.15, retryAfterSeconds: 1 },
      // The rules are tried in order: 0.15 + 0.85 × 0.1765 ≈ 0.30 of calls get one of the two.
      { id: 'unavailable', route: '/v1.0/*', status: 503, probability: 0.1765 },
      { id: 'lag', route: '/v1.0/*', replicationLagMs: 3_000 },
    ]);
    const started = Date.now();
    const outcomes = await Promise.all(cases.map((c) => stack.provision.execute({ requestId: c.id })));
    const elapsed = Date.now() - started;
    const counts = cloud.faults.counts();
    cloud.faults.clear();

    expect(outcomes.map((o) => (o.kind === 'failed' ? o.request.failure?.message : o.kind))).toEqual(cases.map(() => 'provisioned'));
    expect(counts.throttled).toBeGreaterThan(0);
    expect(counts.unavailable).toBeGreaterThan(0);
    expect(counts.replicationLag).toBeGreaterThan(0);
    // Both the application and the service principal lag, so two waits of about 3 s each.
    expect(elapsed).toBeGreaterThan(6_000);
    for (const c of cases) {
      const vault = (stack.vault as InMemorySecretVault).entries.get(handoverSecretName(c.id));
      await expectTenantMatchesPlan({ auditor, graphSpId, requestId: c.id, plan: c.plan, vault });
    }
  }, 90_000);

  it('an outage of Graph while the saga re-checks the approvers is waited out, not a failed request', async () => {
    const graphSpId = await graphServicePrincipalId(auditor);
    const endpoints = endpointsOf(cloud, testTables());
    // The guard's own Graph reading (membership now) meets an outage longer than the Graph client's retries cover:
    // its first three answers are 503s, as the client reports them once its own retries are spent.
    const real = testGuard(endpoints);
    let outage = 3;
    const guard = { check: (request: RegistrationRequest) => (outage-- > 0 ? Promise.reject(new DirectoryError({ message: 'The service is temporarily unavailable.', status: 503, source: 'graph' })) : real.check(request)) } as PreWriteGuard;
    const stack = provisioningStack(endpoints, { guard });
    const [recipe] = seedRecipeCases;
    const id = newRequestId();
    const plan = recipe.build(id);
    await approvedRequest(stack.requests, id, plan);
    const outcome = await stack.provision.execute({ requestId: id });
    expect(outcome.kind === 'failed' ? outcome.request.failure?.message : outcome.kind).toBe('provisioned');
    expect(outage).toBeLessThan(0);
    await expectTenantMatchesPlan({ auditor, graphSpId, requestId: id, plan, vault: (stack.vault as InMemorySecretVault).entries.get(handoverSecretName(id)) });
  }, 90_000);
});
