/**
 * P1 (text command → card reply, in-process turns) and P5 (cold start of `onboard dev --no-playground`, and
 * the bot's RSS after P1's load). Loopback only; bounded; stops by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startAzurite } from '../src/cli/dev/azurite';
import { azuriteConnectionString } from '../src/adapters/tables/tableClients';
import { projectRoot } from '../src/paths';
import { canIsolateNetwork, runIsolated } from '../test/support/namespace';
import { measureTurnsInChild, mixedCommands } from './commandTurns';
import type { BenchResult, BenchRow } from './types';

const P1_TARGET_MS = 10;
const P5_TARGET = { coldStartMs: 2_000, rssMb: 200 };

/** Cold starts, each in a fresh loopback-only namespace and data folder; undefined where namespaces are not allowed. */
function coldStarts(samples: number): number[] | undefined {
  if (!canIsolateNetwork()) return undefined;
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const data = mkdtempSync(join(tmpdir(), 'onboard-bench-'));
    try {
      const run = runIsolated(join(projectRoot, 'dist', 'test', 'support', 'devProbe.js'), ['--no-playground', '--port', '0', '--data', data], 120_000);
      const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as { coldStartMs: number; readyLine: string | null };
      if (!report.readyLine) throw new Error('onboard dev never printed its ready line');
      times.push(report.coldStartMs);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }
  return times.sort((a, b) => a - b);
}

export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const turns = opts.smoke ? 30 : 1_000;
  const testTables = process.env.ONBOARD_TEST_TABLES_URL;
  const dataDir = mkdtempSync(join(tmpdir(), 'onboard-bench-turns-'));
  const azurite = testTables ? undefined : await startAzurite({ location: dataDir });
  try {
    const tables = { connectionString: azuriteConnectionString(testTables ?? azurite!.tableUrl), prefix: `bturn${randomBytes(3).toString('hex')}` };
    const figures = await measureTurnsInChild(turns, tables);
    // Smoke mode skips the cold starts: three fresh namespaces and Azurites cost seconds and prove nothing new.
    const starts = opts.smoke ? undefined : coldStarts(3);
    const median = starts?.[Math.floor(starts.length / 2)];
    const rows: BenchRow[] = [
      {
        id: 'P1', what: `text command → card reply, in-process TestAdapter turns, ${turns} mixed commands (${mixedCommands.length} kinds)`,
        figure: `p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms (${figures.cardReplies} of ${turns} answered with a card)`,
        target: `p99 ≤ ${P1_TARGET_MS} ms`, met: figures.p99 <= P1_TARGET_MS,
      },
      {
        id: 'P5', what: `cold start of onboard dev --no-playground → ready line; bot RSS after P1's ${turns} turns`,
        figure: `${median === undefined ? `cold start not measured (${opts.smoke ? 'smoke mode' : 'no unshare -n'})` : `${median} ms${starts!.length > 1 ? ` (median of ${starts!.length}; ${starts![0]}–${starts![starts!.length - 1]})` : ''}`}; RSS ${figures.rssMb.toFixed(0)} MB`,
        target: `≤ ${P5_TARGET.coldStartMs / 1000} s, ≤ ${P5_TARGET.rssMb} MB`,
        met: median !== undefined && median <= P5_TARGET.coldStartMs && figures.rssMb <= P5_TARGET.rssMb,
      },
    ];
    return { rows };
  } finally {
    await azurite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
