/**
 * P6: scale-out. Two saga processes (the bot's provisioning, as compose wires it, in test/support's runner) on one
 * Azurite and one local cloud, with P4's load (approved requests, 20% of Graph calls 429) arriving at both. One is
 * SIGKILLed once half the requests are verified; the survivor must take over the sagas the dead one held once
 * their leases expire, and every request must end with exactly one app, service principal and live secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startLocalCloud } from '../src/localcloud';
import { startAzurite } from '../src/cli/dev/azurite';
import { azuriteConnectionString } from '../src/adapters/tables/tableClients';
import { approvedRequest, endpointsOf, provisioningStack } from '../test/support/provisioningStack';
import { startRunner } from '../test/support/provisioningProcesses';
import { loadOfRequests, THROTTLING } from './throttledLoad';
import { tallyTenant } from './tenantTally';
import type { BenchResult } from './types';


export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const count = opts.smoke ? 4 : 100;
  // Long enough that a live saga renews it between steps even when throttled; short, so the bench stays short.
  const LEASE_MS = opts.smoke ? 2_000 : 5_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'onboard-bench-scaleout-'));
  const cloud = await startLocalCloud({ dataDir, contracts: 'off', env: {} });
  const testTables = process.env.ONBOARD_TEST_TABLES_URL;
  const azurite = testTables ? undefined : await startAzurite({ location: join(dataDir, 'azurite') });
  const runners: ReturnType<typeof startRunner>[] = [];
  try {
    const tables = { connectionString: azuriteConnectionString(testTables ?? azurite!.tableUrl), prefix: `bscl${randomBytes(3).toString('hex')}` };
    const endpoints = endpointsOf(cloud, tables);
    const stack = provisioningStack(endpoints);
    const load = loadOfRequests(count);
    for (const r of load) await approvedRequest(stack.requests, r.id, r.plan);
    cloud.faults.set(THROTTLING);
    const started = performance.now();
    const ids = load.map((r) => r.id);
    for (const name of ['a', 'b']) {
      runners.push(startRunner({ endpoints, owner: `bot-${name}`, leaseMs: LEASE_MS, vaultFile: join(dataDir, `${name}.json`), mode: { kind: 'sweep', requestIds: ids }, timeoutMs: 150_000 }));
    }
    const [victim, survivor] = runners;
    const finished = () => runners.reduce((n, r) => n + r.events.filter((e) => e.event === 'finished').length, 0);
    while (finished() < count / 2) {
      if (victim.child.exitCode !== null || survivor.child.exitCode !== null) throw new Error(`a runner stopped early: ${victim.stderr()}${survivor.stderr()}`.slice(0, 400));
      await new Promise((r) => setTimeout(r, 20));
    }
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = performance.now();
    // What the dead instance held when it died: sagas under its lease, now nobody's until the lease runs out.
    const orphaned = (await stack.requests.listInStates(['Provisioning'])).filter((r) => r.value.lease?.owner === 'bot-a' && ids.includes(r.value.id)).map((r) => ({ id: r.value.id, until: Date.parse(r.value.lease!.until) }));
    const exit = await survivor.exited;
    const seconds = (performance.now() - started) / 1000;
    cloud.faults.clear();
    if (exit.code !== 0) throw new Error(`the survivor exited ${exit.code}: ${survivor.stderr().slice(-300)}`);
    const stored = await Promise.all(load.map(async (r) => ({ ...r, stored: (await stack.requests.get(r.id))?.value })));
    const { duplicated, lost } = tallyTenant(cloud, stored);
    const bySurvivor = new Set(survivor.events.filter((e) => e.event === 'finished').map((e) => e.requestId as string));
    // Finished by the survivor, and only once the dead one's lease had run out.
    const takenOver = orphaned.filter((o) => bySurvivor.has(o.id) && Date.parse(stored.find((r) => r.id === o.id)?.stored?.updatedAt ?? '') >= o.until);
    const exactlyOnce = duplicated.length === 0 && lost.length === 0;
    return {
      rows: [{
        id: 'P6', what: `scale-out: two saga processes on one Azurite, P4's load (${count} requests, 20% 429) at both, one SIGKILLed halfway (lease ${LEASE_MS / 1000} s)`,
        figure: `all verified in ${seconds.toFixed(1)} s (${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill); ${duplicated.length} duplicates, ${lost.length} losses; the survivor finished ${takenOver.length} of the ${orphaned.length} sagas the dead one held, each after its lease expired`,
        target: 'exactly-once; survivor finishes the dead one\'s sagas after lease expiry', met: exactlyOnce && takenOver.length === orphaned.length,
      }],
    };
  } finally {
    for (const r of runners) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    cloud.faults.clear();
    await cloud.close();
    await azurite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
