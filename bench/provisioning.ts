/**
 * Approve → verified for the largest Cirrus Connect plan, with 100 ms on every Graph call (10 ms in smoke mode), against a naive
 * baseline in the same run: one call at a time, each followed by a poll until visible, as infrastructure
 * tools do. Two latency models, because the local cloud runs a $batch's sub-requests one after another,
 * each with the injected latency, where Graph runs independent sub-requests in parallel:
 *   server: the local cloud adds 100 ms to every Graph request, each $batch sub-request included;
 *   network: 100 ms is added to every HTTP round trip to Graph (client side), none inside a $batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureCertificateAuthority, startLocalCloud, type LocalCloud } from '../src/localcloud';
import { projectRoot } from '../src/paths';
import { startAzurite } from '../src/cli/dev/azurite';
import { azuriteConnectionString } from '../src/adapters/tables/tableClients';
import { createGraphClient, type GraphCallRecord } from '../src/adapters/graph/graphClient';
import { ClientSecretCredential } from '@azure/identity';
import { readProvisioningPlan, patchAfterCreate, MICROSOFT_GRAPH_APP_ID } from '../src/domain/provisioning';
import { largestCirrusConnect } from '../test/support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../test/support/provisioningStack';
import type { BenchResult } from './types';

type Model = 'server' | 'network';
interface Sample { ms: number; calls: GraphCallRecord[] }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The longest chain of Graph requests that ran one after another: the round trips a user waits for. */
export function sequentialRoundTrips(calls: GraphCallRecord[]): number {
  let count = 0;
  let lastEnd = -Infinity;
  for (const c of [...calls].sort((a, b) => a.endedAt - b.endedAt)) {
    if (c.startedAt >= lastEnd) {
      count++;
      lastEnd = c.endedAt;
    }
  }
  return count;
}

async function onboardRun(cloud: LocalCloud, tables: { connectionString: string; prefix: string }): Promise<Sample> {
  const calls: GraphCallRecord[] = [];
  const stack = provisioningStack(endpointsOf(cloud, tables), { directory: { observe: (c) => calls.push(c), retry: { delaySeconds: 1, maxRetries: 3 } } });
  // A running bot has its token and a warm connection; so does the baseline below.
  await stack.directory.ownRoles();
  await stack.directory.organization();
  calls.length = 0;
  const id = newRequestId();
  await approvedRequest(stack.requests, id, largestCirrusConnect(id));
  const started = performance.now();
  const outcome = await stack.provision.execute({ requestId: id });
  const ms = performance.now() - started;
  if (outcome.kind !== 'provisioned') throw new Error(`provisioning ended ${outcome.kind}: ${outcome.kind === 'failed' ? outcome.request.failure?.message : ''}`);
  return { ms, calls };
}

/** One call at a time, each followed by a GET until what it made is visible. */
async function naiveRun(cloud: LocalCloud): Promise<Sample> {
  const calls: GraphCallRecord[] = [];
  const credential = new ClientSecretCredential(cloud.tenantId, cloud.worker.clientId, cloud.worker.clientSecret, { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true });
  const { client } = createGraphClient({ credential, baseUrl: cloud.graphBaseUrl, observe: (c) => calls.push(c) });
  await client.api('/organization').get();
  calls.length = 0;
  const id = newRequestId();
  const plan = readProvisioningPlan(largestCirrusConnect(id), 'Cirrus Connect');
  const poll = async (path: string, ready: (body: Record<string, unknown>) => boolean = () => true) => {
    for (;;) {
      try {
        if (ready(await client.api(path).get())) return;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
      await sleep(50);
    }
  };
  const started = performance.now();
  const app = await client.api('/applications').post({ ...plan.createBody, uniqueName: `onboard-${id}` });
  await poll(`/applications/${app.id}`);
  await client.api(`/applications/${app.id}`).patch(patchAfterCreate(plan, app.appId)!);
  await poll(`/applications/${app.id}`, (a) => (a.identifierUris as string[]).length > 0);
  const sp = await client.api('/servicePrincipals').post({ appId: app.appId });
  await poll(`/servicePrincipals/${sp.id}`);
  const password = await client.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: `naive ${id}` } });
  await poll(`/applications/${app.id}`, (a) => (a.passwordCredentials as { keyId: string }[]).some((p) => p.keyId === password.keyId));
  const graph = (await client.api('/servicePrincipals').filter(`appId eq '${MICROSOFT_GRAPH_APP_ID}'`).select('id').get()).value[0];
  for (const p of plan.permissions.filter((x) => x.type === 'Application')) {
    const a = await client.api(`/servicePrincipals/${graph.id}/appRoleAssignedTo`).post({ principalId: sp.id, resourceId: graph.id, appRoleId: p.id });
    await poll(`/servicePrincipals/${graph.id}/appRoleAssignedTo/${a.id}`);
  }
  const delegated = plan.permissions.filter((x) => x.type === 'Delegated');
  for (const [resourceId, names] of [[graph.id, delegated.filter((x) => x.resourceAppId !== 'self')], [sp.id, delegated.filter((x) => x.resourceAppId === 'self')]] as const) {
    if (!names.length) continue;
    const g = await client.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId, scope: names.map((x) => x.name).join(' ') });
    await poll(`/oauth2PermissionGrants/${g.id}`);
  }
  return { ms: performance.now() - started, calls };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Requests Graph served: HTTP requests, counting each $batch as the sub-requests it carried. */
function graphRequests(sample: Sample, subRequests: number): { http: number; total: number; batches: number } {
  const batches = sample.calls.filter((c) => c.url.endsWith('/$batch')).length;
  return { http: sample.calls.length, batches, total: sample.calls.length - batches + subRequests };
}

export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const repeats = opts.smoke ? 1 : 5;
  // Smoke mode only proves the bench still runs: one repeat, 10 ms instead of 100.
  const LATENCY_MS = opts.smoke ? 10 : 100;
  const dataDir = mkdtempSync(join(tmpdir(), 'onboard-bench-provisioning-'));
  const cloud = await startLocalCloud({ dataDir, contracts: 'off', env: {} });
  const testTables = process.env.ONBOARD_TEST_TABLES_URL;
  const azurite = testTables ? undefined : await startAzurite({ location: join(dataDir, 'azurite') });
  const tables = { connectionString: azuriteConnectionString(testTables ?? azurite!.tableUrl), prefix: `bprov${Date.now() % 100000}` };
  const realFetch = globalThis.fetch;
  const plan = largestCirrusConnect('bench');
  const grants = plan.grants.appRoles.length + plan.grants.delegated.length;
  const rows: BenchResult['rows'] = [];
  try {
    for (const model of ['server', 'network'] as Model[]) {
      if (model === 'server') cloud.faults.set({ id: 'latency', route: '/v1.0/*', latencyMs: LATENCY_MS });
      else {
        cloud.faults.clear();
        globalThis.fetch = async (input, init) => {
          await sleep(LATENCY_MS);
          return realFetch(input, init);
        };
      }
      const ours: Sample[] = [];
      const naive: Sample[] = [];
      for (let i = 0; i < repeats; i++) {
        ours.push(await onboardRun(cloud, tables));
        naive.push(await naiveRun(cloud));
      }
      globalThis.fetch = realFetch;
      const o = ours[0];
      const n = naive[0];
      const oursMs = median(ours.map((s) => s.ms));
      const naiveMs = median(naive.map((s) => s.ms));
      const counted = graphRequests(o, grants);
      const label = model === 'server' ? `${LATENCY_MS} ms per Graph request, $batch sub-requests included (local cloud runs them one by one)` : `${LATENCY_MS} ms per HTTP round trip to Graph (network latency)`;
      const ratio = oursMs / naiveMs;
      const trips = `round trips (sequential / HTTP / Graph requests incl. $batch sub-requests): Onboard ${sequentialRoundTrips(o.calls)} / ${counted.http} (${counted.batches} $batch) / ${counted.total}, naive ${sequentialRoundTrips(n.calls)} / ${n.calls.length} / ${n.calls.length}`;
      // The network model is the headline: Graph runs a $batch's independent sub-requests side by side.
      rows.push({
        id: model === 'network' ? 'P3' : 'P3-server',
        what: `Approve → verified, largest Cirrus Connect plan (${plan.permissions.length} permissions, ${grants} grants, secret), ${label}; median of ${repeats}`,
        figure: `${oursMs.toFixed(0)} ms vs naive ${naiveMs.toFixed(0)} ms: ${ratio.toFixed(2)}× the baseline; ${trips}`,
        ...(model === 'network' ? { target: '≤ 0.4× baseline', met: ratio <= 0.4 } : {}),
      });
    }
  } finally {
    globalThis.fetch = realFetch;
    await cloud.close();
    await azurite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { rows };
}

if (require.main === module) {
  // Node reads NODE_EXTRA_CA_CERTS only at start-up: make the local cloud's CA, then run again trusting it.
  const caDir = process.env.ONBOARD_TEST_CA_DIR ?? join(projectRoot, '.data', 'bench', 'ca');
  const { caCertPath } = ensureCertificateAuthority(caDir);
  if (process.env.NODE_EXTRA_CA_CERTS !== caCertPath) {
    process.exitCode = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath, ONBOARD_TEST_CA_DIR: caDir } }).status ?? 1;
  } else {
    void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
  }
}
