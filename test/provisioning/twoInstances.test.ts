import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import { handoverSecretName } from '../../src/domain/provisioning';
import { credentialFor, graphClient, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { seedRecipeCases } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';
import { runnerDir, startRunner } from '../support/provisioningProcesses';
import { readVaultFile } from '../support/provisioningVault';

describe('two bot processes sharing one Azurite and one local cloud', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let auditor: Client;
  let dir: string;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    auditor = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Test auditor', graphRoles: ['Application.Read.All', 'DelegatedPermissionGrant.Read.All'] })));
    dir = runnerDir();
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('provision 20 approved requests exactly once each, each by one of them', async () => {
    const endpoints = endpointsOf(cloud, testTables());
    const stack = provisioningStack(endpoints);
    const requests = Array.from({ length: 20 }, (_x, i) => {
      const id = newRequestId();
      return { id, plan: seedRecipeCases[i % seedRecipeCases.length].build(id) };
    });
    for (const r of requests) await approvedRequest(stack.requests, r.id, r.plan);
    // A little latency so the two really overlap.
    cloud.faults.set({ id: 'latency', route: '/v1.0/*', latencyMs: 20, jitterMs: 20 });
    const runners = ['a', 'b'].map((name) => startRunner({
      endpoints, owner: `bot-${name}`, leaseMs: 10_000, vaultFile: join(dir, `${name}.json`), mode: { kind: 'sweep', requestIds: requests.map((r) => r.id) }, timeoutMs: 60_000,
    }));
    const exits = await Promise.all(runners.map((r) => r.exited));
    cloud.faults.clear();
    expect(exits).toEqual([{ code: 0, signal: null }, { code: 0, signal: null }]);

    const finishedBy = runners.map((r) => r.events.filter((e) => e.event === 'finished').map((e) => e.requestId as string));
    expect([...finishedBy[0], ...finishedBy[1]].sort()).toEqual(requests.map((r) => r.id).sort());
    expect(finishedBy.every((ids) => ids.length > 0)).toBe(true);
    const vaults = { ...readVaultFile(join(dir, 'a.json')), ...readVaultFile(join(dir, 'b.json')) };
    const graphSpId = await graphServicePrincipalId(auditor);
    for (const r of requests) {
      const stored = (await stack.requests.get(r.id))!.value;
      expect(stored.state).toBe('Provisioned');
      expect(stored.history.filter((h) => h.to === 'Provisioning' || h.to === 'Provisioned')).toHaveLength(2);
      expect((await stack.audit.forRequest(r.id)).map((e) => e.action).sort()).toEqual(['provisioned', 'provisioning.started']);
      await expectTenantMatchesPlan({ auditor, graphSpId, requestId: r.id, plan: r.plan, vault: vaults[handoverSecretName(r.id)] });
    }
    expect(runners.flatMap((r) => r.events.filter((e) => e.event === 'failed'))).toEqual([]);
  }, 90_000);
});
