/**
 * Helpdesk answers against the local cloud (and Azurite, for the request an Onboard-made app is checked against) with 100 ms of injected Graph latency (10 ms in smoke mode):
 * Graph requests and wall time for one app's inspection (budget: at most 4 requests), and the wall time of
 * "which apps have Mail.Send application" paging through appRoleAssignedTo of 2,000 apps (200 in smoke mode).
 * Two latency models, as in bench/provisioning.ts:
 *   server: the local cloud adds the latency to every Graph request, each $batch sub-request included
 *           (it runs them one after another; Graph runs independent ones side by side);
 *   network: the latency is added to every HTTP round trip to Graph, none inside a $batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { startAzurite } from '../src/cli/dev/azurite';
import { azuriteConnectionString } from '../src/adapters/tables/tableClients';
import { largestCirrusConnect } from '../test/support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../test/support/provisioningStack';
import { startLocalCloud, type LocalCloud } from '../src/localcloud';
import type { GraphCallRecord } from '../src/adapters/graph/graphClient';
import { GraphInventory } from '../src/adapters/graph/graphInventory';
import { InspectApp } from '../src/app/helpdesk/inspectApp';
import { FindPermissionHolders } from '../src/app/helpdesk/findPermissionHolders';
import type { RequestStore } from '../src/app/workflowPorts';
import { systemClock } from '../src/app/ports';
import { sequentialRoundTrips } from './provisioning';
import type { BenchResult, BenchRow } from './types';

type Model = 'server' | 'network';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const actor = { id: 'bench', name: 'Bench', isApprover: false, isHelpdesk: true };
function stackFor(cloud: LocalCloud, calls: GraphCallRecord[], requests: RequestStore) {
  const credential = new ClientSecretCredential(cloud.tenantId, cloud.worker.clientId, cloud.worker.clientSecret, { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true });
  const inventory = new GraphInventory({ credential, baseUrl: cloud.graphBaseUrl, observe: (c) => calls.push(c) });
  return { inventory, inspect: new InspectApp({ inventory, requests, clock: systemClock, soonDays: 30 }), holders: new FindPermissionHolders({ inventory }) };
}

async function timed<T>(calls: GraphCallRecord[], work: () => Promise<T>): Promise<{ ms: number; calls: GraphCallRecord[]; result: T }> {
  const before = calls.length;
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, calls: calls.slice(before), result };
}

export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const LATENCY_MS = opts.smoke ? 10 : 100;
  const APPS = opts.smoke ? 200 : 2_000;
  const repeats = opts.smoke ? 1 : 5;
  const dataDir = mkdtempSync(join(tmpdir(), 'onboard-bench-helpdesk-'));
  const cloud = await startLocalCloud({ dataDir, contracts: 'off', env: {} });
  cloud.seedApps(APPS, { prefix: 'Bench App', graphRoles: (i) => (i % 7 === 0 ? ['User.Read.All', 'Mail.Send'] : ['User.Read.All']) });
  const testTables = process.env.ONBOARD_TEST_TABLES_URL;
  const azurite = testTables ? undefined : await startAzurite({ location: join(dataDir, 'azurite') });
  const tables = { connectionString: azuriteConnectionString(testTables ?? azurite!.tableUrl), prefix: `bhelp${Date.now() % 100000}` };
  // An app Onboard made: its drift is checked against the plan stored with its request (one table read).
  const saga = provisioningStack(endpointsOf(cloud, tables));
  const requestId = newRequestId();
  await approvedRequest(saga.requests, requestId, largestCirrusConnect(requestId));
  const made = await saga.provision.execute({ requestId });
  if (made.kind !== 'provisioned') throw new Error(`provisioning ended ${made.kind}`);
  const onboardApp = made.request.provisioning!.steps.application!.appId;
  const realFetch = globalThis.fetch;
  const rows: BenchRow[] = [];
  try {
    for (const model of ['network', 'server'] as Model[]) {
      const calls: GraphCallRecord[] = [];
      const { inventory, inspect, holders } = stackFor(cloud, calls, saga.requests);
      // A running bot has its token, a warm connection and Microsoft Graph's service principal id.
      await inventory.snapshot((await inventory.findByName('Contoso Mobile', 1))[0]);
      if (model === 'server') cloud.faults.set({ id: 'latency', route: '/v1.0/*', latencyMs: LATENCY_MS });
      else globalThis.fetch = async (input, init) => (await sleep(LATENCY_MS), realFetch(input, init));
      const label = model === 'server' ? `${LATENCY_MS} ms per Graph request, $batch sub-requests included` : `${LATENCY_MS} ms per HTTP round trip to Graph`;
      for (const target of [onboardApp, 'Fabrikam Expenses', 'Contoso Mobile']) {
        const samples = [];
        for (let i = 0; i < repeats; i++) samples.push(await timed(calls, () => inspect.execute({ target, actor })));
        const one = samples[0];
        if (one.result.kind !== 'found') throw new Error(`${target}: ${one.result.kind}`);
        const batches = one.calls.filter((c) => c.url.endsWith('/$batch')).length;
        const inspection = one.result.inspection;
        const name = target === onboardApp ? `${inspection.app.displayName}, made by Onboard, drift checked against its request` : target;
        rows.push({
          id: `H1-${model}-${target === onboardApp ? 'onboard' : target.split(' ')[1].toLowerCase()}`,
          what: `check "${name}" (${inspection.permissions.length} permissions), ${label}; median of ${repeats}`,
          figure: `${median(samples.map((s) => s.ms)).toFixed(0)} ms; ${one.calls.length} Graph requests (${batches} of them $batch), ${sequentialRoundTrips(one.calls)} sequential round trips; budget ≤ 4 requests`,
        });
      }
      const lookups = [];
      for (let i = 0; i < Math.min(repeats, 3); i++) lookups.push(await timed(calls, () => holders.execute({ permission: 'Mail.Send', type: 'Application' })));
      const first = lookups[0];
      const found = first.result.kind === 'holders' ? first.result.results[0].holders.length : 0;
      rows.push({
        id: `H2-${model}`,
        what: `which apps have Mail.Send application, ${APPS.toLocaleString('en-US')} seeded apps, ${label}; median of ${lookups.length}`,
        figure: `${median(lookups.map((s) => s.ms)).toFixed(0)} ms; ${found} apps found; ${first.calls.filter((c) => c.url.includes('appRoleAssignedTo')).length} pages of appRoleAssignedTo, ${first.calls.length} Graph requests`,
      });
      globalThis.fetch = realFetch;
      cloud.faults.clear();
    }
  } finally {
    globalThis.fetch = realFetch;
    await cloud.close();
    await azurite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { rows };
}
