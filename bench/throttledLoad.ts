/**
 * P4: throughput under throttling. 100 requests approved at once, one saga each started together in one bot
 * (as 100 clicks would), while the local cloud answers 20% of Graph calls 429 with Retry-After: 1. Graph client
 * and saga run with production settings. Reports time until all are verified, duplicates and losses, read from
 * the tenant itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startLocalCloud } from '../src/localcloud';
import { startAzurite } from '../src/cli/dev/azurite';
import { azuriteConnectionString } from '../src/adapters/tables/tableClients';
import { seedRecipeCases } from '../test/support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../test/support/provisioningStack';
import { tallyTenant } from './tenantTally';
import type { BenchResult } from './types';

export const THROTTLING = { id: 'throttled', route: '/v1.0/*', status: 429 as const, probability: 0.2, retryAfterSeconds: 1 };

/** `count` approved requests over every seed recipe shape, as the approvals table holds them. */
export function loadOfRequests(count: number) {
  return Array.from({ length: count }, (_x, i) => {
    const id = newRequestId();
    const plan = seedRecipeCases[i % seedRecipeCases.length].build(id);
    return { id, plan, issuesSecret: plan.secret.issue };
  });
}

export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const count = opts.smoke ? 4 : 100;
  const dataDir = mkdtempSync(join(tmpdir(), 'onboard-bench-throttled-'));
  const cloud = await startLocalCloud({ dataDir, contracts: 'off', env: {} });
  const testTables = process.env.ONBOARD_TEST_TABLES_URL;
  const azurite = testTables ? undefined : await startAzurite({ location: join(dataDir, 'azurite') });
  try {
    const tables = { connectionString: azuriteConnectionString(testTables ?? azurite!.tableUrl), prefix: `bthr${randomBytes(3).toString('hex')}` };
    // Production retry and backoff settings, not the test stack's short ones.
    const stack = provisioningStack(endpointsOf(cloud, tables), { directory: { retry: undefined, batch: undefined }, settings: { backoff: undefined } });
    const load = loadOfRequests(count);
    for (const r of load) await approvedRequest(stack.requests, r.id, r.plan);
    cloud.faults.set(THROTTLING);
    const started = performance.now();
    const outcomes = await Promise.all(load.map((r) => stack.provision.execute({ requestId: r.id })));
    const seconds = (performance.now() - started) / 1000;
    const throttled = cloud.faults.counts().throttled;
    cloud.faults.clear();
    const stored = await Promise.all(load.map(async (r) => ({ ...r, stored: (await stack.requests.get(r.id))?.value })));
    const { duplicated, lost } = tallyTenant(cloud, stored);
    const failed = outcomes.filter((o) => o.kind !== 'provisioned').length;
    return {
      rows: [{
        id: 'P4', what: `throughput under throttling: ${count} requests approved at once, 20% of Graph calls 429 with Retry-After: 1`,
        figure: `all verified in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(1)} req/s, ${throttled} calls throttled); ${duplicated.length} duplicates, ${lost.length} losses${failed ? `, ${failed} not provisioned` : ''}`,
        target: '0 duplicates, 0 losses', met: duplicated.length === 0 && lost.length === 0,
      }],
    };
  } finally {
    cloud.faults.clear();
    await cloud.close();
    await azurite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
