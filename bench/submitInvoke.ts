/**
 * P2b: Submit click → invoke response, over HTTP, with Graph latency on every call, the way P2 measures Approve.
 * Four approvers have talked to Onboard, so each submit also has approval cards to deliver: through the outbox,
 * after the click is answered (issue #14; before it, inside the click).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startLocalCloudChild, localCloudEnv } from '../src/cli/dev/localCloudChild';
import { startAzurite } from '../src/cli/dev/azurite';
import { azuriteConnectionString } from '../src/adapters/tables/tableClients';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/logging';
import { composeOnboard } from '../src/compose';
import { FakeConnector, actionInvoke, personalMessage, type TeamsUser } from '../test/support/fakeConnector';
import { percentile } from './parsePlan';
import type { BenchResult } from './types';

const person = (aadObjectId: string, name: string): TeamsUser => ({ id: `29:${aadObjectId.slice(-4)}`, aadObjectId, name });
const alex = person('00000000-0000-0000-0000-000000000020', 'Alex Wilber');
const approvers = [person('00000000-0000-0000-0000-000000000021', 'Megan Bowen'), person('00000000-0000-0000-0000-000000000022', 'Adele Vance'), person('6b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d52', 'Nestor Wilke'), person('7c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e63', 'Lee Gu')];

type Action = { verb?: string; data?: Record<string, unknown> };

async function measure(clicks: number, latencyMs: number): Promise<number[]> {
  const cloud = await startLocalCloudChild(mkdtempSync(join(tmpdir(), 'onboard-bench-cloud-')));
  const faults = await fetch(`${cloud.ready.authorityHost}/_localcloud/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ route: '/v1.0/*', latencyMs }) });
  if (!faults.ok) throw new Error(`the local cloud refused the latency rule: HTTP ${faults.status}`);
  const testTables = process.env.ONBOARD_TEST_TABLES_URL;
  const azurite = testTables ? undefined : await startAzurite({ location: mkdtempSync(join(tmpdir(), 'onboard-bench-az-')) });
  const connector = await new FakeConnector().start();
  // No vault: nothing provisions, so only the submit path is measured.
  const { KEY_VAULT_URL: _vault, ...cloudEnv } = localCloudEnv(cloud.ready);
  const env = { ...cloudEnv, TABLES_CONNECTION_STRING: azuriteConnectionString(testTables ?? azurite!.tableUrl), TABLES_PREFIX: `p2b${Date.now() % 1_000_000}`, LOG_LEVEL: 'silent' };
  const onboard = composeOnboard(loadConfig(env), silentLogger());
  try {
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    const post = (activity: object) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    for (const [i, a] of approvers.entries()) await post(personalMessage(connector.url, a, 'help', `hello-${i}`));
    const times: number[] = [];
    for (let i = 0; i < clicks; i++) {
      // The previous submit's approval cards go out in the background (the outbox): let them finish, so each click
      // is measured with only its own delivery running beside it, and find the preview as the reply to this message.
      await onboard.inflight.idle(30_000);
      await post(personalMessage(connector.url, alex, `onboard custom "Bench App ${i}" with User.Read delegated`, `ask-${i}`));
      const preview = connector.posts.find((p) => p.path.endsWith(`/activities/ask-${i}`))?.body.attachments?.[0]?.content as { actions?: Action[] } | undefined;
      const submit = preview?.actions?.find((a) => a.verb === 'request.submit');
      if (!submit?.data) throw new Error(`no Submit on the preview of click ${i}`);
      const started = performance.now();
      const response = await post(actionInvoke(connector.url, alex, 'request.submit', { ...submit.data, 'input.justification': 'Bench run: measuring the submit click' }, `preview-${i}`));
      const body = await response.text();
      times.push(performance.now() - started);
      if (response.status !== 200 || !/REQ-/.test(body)) throw new Error(`submit ${i} was not stored: ${body.slice(0, 200)}`);
    }
    return times.sort((a, b) => a - b);
  } finally {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
    await azurite?.stop();
    await cloud.child.stop();
  }
}

export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const clicks = opts.smoke ? 5 : 100;
  const latencyMs = opts.smoke ? 10 : 100;
  const times = await measure(clicks, latencyMs);
  return {
    rows: [{ id: 'P2b', what: `Submit click → invoke response, HTTP, ${clicks} clicks, ${latencyMs} ms Graph latency, 4 approvers to notify`, figure: `p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms` }],
  };
}

if (require.main === module) void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
