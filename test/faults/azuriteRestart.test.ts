import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LocalCloud } from '../../src/localcloud';
import { startAzurite, type RunningAzurite } from '../../src/cli/dev/azurite';
import { azuriteConnectionString } from '../../src/adapters/tables/tableClients';
import { startTestCloud } from '../localcloud/helpers';
import { largestCirrusConnect } from '../support/provisioningPlans';
import { approvedRequest, newRequestId } from '../support/provisioningStack';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';
import { auditorOf, faultStack, sleep, until, vaultedSecret } from './faultStack';

describe('Azurite (the request store) killed and restarted during a provisioning', () => {
  let cloud: LocalCloud;
  let stopCloud: () => Promise<void>;
  let azurite: RunningAzurite | undefined;
  const location = mkdtempSync(join(tmpdir(), 'onboard-fault-azurite-'));
  beforeAll(async () => ({ cloud, stop: stopCloud } = await startTestCloud()));
  afterAll(async () => {
    await azurite?.stop();
    await stopCloud();
    rmSync(location, { recursive: true, force: true });
  });

  it('the saga rides out the outage (or the sweeper resumes it) and it finishes exactly once; the requester is told and gets the link', async () => {
    // Its own Azurite on its own port, not the run's shared one: this test kills it.
    azurite = await startAzurite({ location });
    const port = Number(new URL(azurite.tableUrl).port);
    const tables = { connectionString: azuriteConnectionString(azurite.tableUrl), prefix: `f${randomBytes(4).toString('hex')}` };
    const { auditor } = auditorOf(cloud);
    const stack = faultStack(cloud, tables);
    const id = newRequestId();
    const plan = largestCirrusConnect(id);
    await approvedRequest(stack.requests, id, plan);
    cloud.faults.set({ id: 'latency', route: '/v1.0/*', latencyMs: 150 });
    const running = stack.provision.execute({ requestId: id }).then((o) => o.kind, (e: Error) => `threw: ${e.message}`);
    const beforeOutage = await until(async () => (await stack.requests.get(id))?.value, (r) => !!r?.provisioning?.steps.application, 20_000, 20);
    expect(beforeOutage?.state).toBe('Provisioning');
    // SIGINT, not SIGKILL: Azurite acknowledges writes before its 5-second autosave reaches the disk (and saves on
    // SIGINT only), so a SIGKILL would lose acknowledged data, which Azure Table Storage never does. The outage is
    // what this test is about.
    await azurite.child.stop('SIGINT', 10_000);
    await sleep(2_000);
    azurite = await startAzurite({ location, port });
    cloud.faults.clear();
    const interrupted = await running;

    // Either the saga got through (its writes retried across the outage) or it stopped under its lease; never Failed.
    expect(interrupted).not.toBe('failed');
    const stored = await until(async () => {
      await stack.sweeper.runOnce();
      return (await stack.requests.get(id))?.value;
    }, (r) => r?.state === 'Provisioned' || r?.state === 'Failed', 40_000, 300);

    expect(stored?.state).toBe('Provisioned');
    await expectTenantMatchesPlan({ auditor, graphSpId: await graphServicePrincipalId(auditor), requestId: id, plan, vault: vaultedSecret(cloud, id) });
    expect(stack.notifier.told(id).join('\n')).toMatch(/registered and verified/);
    expect(stack.handedOver).toEqual([id]);
    expect(cloud.contracts.violations()).toEqual([]);
  }, 60_000);
});
