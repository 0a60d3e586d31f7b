/**
 * Local cloud throughput on loopback: `GET /v1.0/applications/{id}` (in a tenant of 2,000 apps), a filtered
 * list over those apps, and client-credentials token issuance. Bounded by time and count; stops by itself.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../src/localcloud';
import type { BenchResult } from './types';

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

function send(agent: Agent, cloud: LocalCloud, call: Call): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', servername: 'localhost', port: cloud.port, method: call.method, path: call.path, headers: { Host: `localhost:${cloud.port}`, ...call.headers }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Keeps `concurrency` requests in flight until the time or count budget runs out. */
async function measure(agent: Agent, cloud: LocalCloud, call: () => Call, budget: { ms: number; max: number }, concurrency: number): Promise<string> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  let issued = 0;
  const worker = async () => {
    while (elapsedMs() < budget.ms && issued < budget.max) {
      issued++;
      const t0 = process.hrtime.bigint();
      const reply = await send(agent, cloud, call());
      if (reply.status >= 300) throw new Error(`unexpected ${reply.status}: ${reply.body.slice(0, 200)}`);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = elapsedMs() / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return `${Math.round(latencies.length / seconds)} req/s (${latencies.length} in ${seconds.toFixed(1)} s, ${concurrency} in flight; p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms)`;
}

export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'onboard-bench-cloud-'));
  const cloud = await startLocalCloud({ dataDir, port: 0, contracts: 'off', env: {} });
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: readFileSync(cloud.caCertPath) });
  try {
    const ids = cloud.seedApps(2000, { prefix: 'Bench' });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: cloud.bot.clientId, client_secret: cloud.bot.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString();
    const tokenCall: Call = { method: 'POST', path: `/${cloud.tenantId}/oauth2/v2.0/token`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form };
    const token = JSON.parse((await send(agent, cloud, tokenCall)).body).access_token as string;
    const auth = { Authorization: `Bearer ${token}` };
    const budget = opts.smoke ? { ms: 400, max: 300 } : { ms: 4000, max: 100_000 };
    let i = 0;
    const getApp = await measure(agent, cloud, () => ({ method: 'GET', path: `/v1.0/applications/${ids[i++ % ids.length]}`, headers: auth }), budget, 16);
    const list = await measure(agent, cloud, () => ({ method: 'GET', path: `/v1.0/applications?$filter=${encodeURIComponent("startswith(displayName,'Bench 01')")}&$select=id,displayName&$top=100`, headers: auth }), budget, 8);
    const tokens = await measure(agent, cloud, () => tokenCall, budget, 8);
    return {
      rows: [
        { id: 'LC1', what: 'local cloud: GET /v1.0/applications/{id} (2,000 apps, TLS, keep-alive)', figure: getApp },
        { id: 'LC2', what: 'local cloud: filtered list, startswith over 2,000 apps, $top=100', figure: list },
        { id: 'LC3', what: 'local cloud: client-credentials token issuance (RS256)', figure: tokens },
      ],
    };
  } finally {
    agent.destroy();
    await cloud.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
