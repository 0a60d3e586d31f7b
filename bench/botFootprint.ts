/**
 * Cold start of `onboard dev --no-playground` (command → ready line) and the bot process's RSS
 * after 100 `help` turns over HTTP. Loopback only; bounded; stops by itself.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from '../src/cli/dev/azurite';
import { startChild, waitForLine } from '../src/cli/dev/childProcess';
import { azuriteConnectionString } from '../src/adapters/tables/tableClients';
import { projectRoot } from '../src/paths';
import { FakeConnector, messageActivity } from '../test/support/fakeConnector';
import { canIsolateNetwork, runIsolated } from '../test/support/namespace';
import type { BenchResult } from './types';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function coldStartMs(): Promise<string> {
  if (!canIsolateNetwork()) return 'skipped (no unshare -n)';
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const data = mkdtempSync(join(tmpdir(), 'onboard-bench-'));
    const run = runIsolated(join(projectRoot, 'dist', 'test', 'support', 'devProbe.js'), ['--no-playground', '--port', '0', '--data', data], 120_000);
    samples.push(JSON.parse(run.stdout.trim().split('\n').pop()!).coldStartMs);
  }
  samples.sort((a, b) => a - b);
  return `${samples[1]} ms (median of 3; min ${samples[0]}, max ${samples[2]})`;
}

async function rssAfterHelpTurns(turns: number): Promise<string> {
  const azurite = await startAzurite({ location: mkdtempSync(join(tmpdir(), 'onboard-bench-az-')) });
  const connector = await new FakeConnector().start();
  const bot = startChild('bot', process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', TABLES_CONNECTION_STRING: azuriteConnectionString(azurite.tableUrl) },
  });
  try {
    const { url } = JSON.parse(await waitForLine(bot, (l) => l.startsWith('{"listening"'), 30_000));
    const before = rssMb(bot.process.pid!);
    for (let i = 0; i < turns; i++) {
      const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(messageActivity(connector.url, 'help', `m-${i}`)) });
      if (response.status !== 200) throw new Error(`turn ${i} answered ${response.status}`);
    }
    await connector.received(turns);
    return `${rssMb(bot.process.pid!).toFixed(0)} MB (${before.toFixed(0)} MB before)`;
  } finally {
    await bot.stop();
    await connector.stop();
    await azurite.stop();
  }
}

export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const rows = [{ id: 'F1', what: `bot RSS after ${opts.smoke ? 10 : 100} help turns (HTTP)`, figure: await rssAfterHelpTurns(opts.smoke ? 10 : 100) }];
  if (!opts.smoke) rows.unshift({ id: 'F0', what: 'cold start: onboard dev --no-playground → ready line', figure: await coldStartMs() });
  return { rows };
}

if (require.main === module) void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
