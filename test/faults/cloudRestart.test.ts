import { rmSync } from 'node:fs';
import { startLocalCloud, type LocalCloud } from '../../src/localcloud';
import { tempDataDir } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { largestCirrusConnect } from '../support/provisioningPlans';
import { approvedRequest, newRequestId } from '../support/provisioningStack';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';
import { auditorOf, faultStack, sleep, until, vaultedSecret } from './faultStack';

describe('the local cloud (Entra, Graph, Key Vault) restarted in the middle of a provisioning', () => {
  const dataDir = tempDataDir();
  let cloud: LocalCloud;
  afterAll(async () => {
    await cloud?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the saga rides out the outage and finishes exactly once; the requester is told', async () => {
    cloud = await startLocalCloud({ dataDir, contracts: 'enforce', env: {} });
    const port = cloud.port;
    const { app: auditorApp } = auditorOf(cloud);
    const stack = faultStack(cloud, testTables());
    const id = newRequestId();
    const plan = largestCirrusConnect(id);
    await approvedRequest(stack.requests, id, plan);
    // Slow enough that the restart lands between steps, not after the end.
    cloud.faults.set({ id: 'latency', route: '/v1.0/*', latencyMs: 150 });
    const running = stack.provision.execute({ requestId: id });
    const beforeRestart = await until(async () => (await stack.requests.get(id))?.value, (r) => !!r?.provisioning?.steps.application, 20_000, 20);
    expect(beforeRestart?.state).toBe('Provisioning');
    await cloud.close();
    await sleep(1_500);
    // Same port and data folder: the same tenant, keys and objects come back, as after a process restart.
    cloud = await startLocalCloud({ dataDir, port, contracts: 'enforce', env: {} });
    const outcome = await running;

    expect(outcome.kind === 'failed' ? outcome.request?.failure : outcome.kind).toBe('provisioned');
    expect((await stack.requests.get(id))!.value.state).toBe('Provisioned');
    const { auditor } = auditorOf(cloud, auditorApp);
    await expectTenantMatchesPlan({ auditor, graphSpId: await graphServicePrincipalId(auditor), requestId: id, plan, vault: vaultedSecret(cloud, id) });
    expect(stack.notifier.told(id).join('\n')).toMatch(/registered and verified/);
    expect(stack.handedOver).toEqual([id]);
    expect(cloud.contracts.violations()).toEqual([]);
  }, 60_000);
});
