/**
 * The bot → worker → bot hand-off that issue #16 added to approve → verified, measured alone: the bot pokes the
 * worker's signal row (after recording the approval), the worker's watcher notices it on its next poll and starts
 * the saga; at the end the worker posts a notice and pokes the bot, whose watcher delivers it. Each leg is one
 * Table Storage write, then at most one poll interval (SIGNAL_POLL_MS) and a few reads. Azurite on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from '../src/cli/dev/azurite';
import { azuriteConnectionString, createTableClientFactory } from '../src/adapters/tables/tableClients';
import { TableNoticeBox, TableSignal, noticeSchema } from '../src/adapters/tables/tableHandoff';
import { SignalWatcher } from '../src/app/handoff/signalWatcher';
import { SIGNAL_POLL_MS } from '../src/compose/handoff';
import type { Bench } from './types';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export const run: Bench = async ({ smoke }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onboard-bench-handoff-'));
  const testTables = process.env.ONBOARD_TEST_TABLES_URL;
  const azurite = testTables ? undefined : await startAzurite({ location: join(dataDir, 'azurite') });
  try {
    const tables = createTableClientFactory({ connectionString: azuriteConnectionString(testTables ?? azurite!.tableUrl), prefix: `bho${randomBytes(3).toString('hex')}` });
    const workerSignal = new TableSignal(tables, 'worker');
    const botSignal = new TableSignal(tables, 'bot');
    const box = new TableNoticeBox(tables, 'notices', noticeSchema);
    let onWorker: (() => void) | undefined;
    let onBot: (() => void) | undefined;
    const worker = new SignalWatcher(workerSignal, async () => onWorker?.(), { pollMs: SIGNAL_POLL_MS, fallbackMs: 3_600_000 });
    const bot = new SignalWatcher(botSignal, async () => {
      if ((await box.take(50)).length) onBot?.();
    }, { pollMs: SIGNAL_POLL_MS, fallbackMs: 3_600_000 });
    await workerSignal.poke();
    await botSignal.poke();
    worker.start();
    bot.start();
    const rounds = smoke ? 3 : 40;
    const wake: number[] = [];
    const back: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Start at a random point of the poll cycle, as an approval would.
      await new Promise((r) => setTimeout(r, Math.random() * SIGNAL_POLL_MS + SIGNAL_POLL_MS));
      const t0 = performance.now();
      const woken = new Promise<void>((r) => (onWorker = r));
      await workerSignal.poke();
      await woken;
      const t1 = performance.now();
      const told = new Promise<void>((r) => (onBot = r));
      await box.post({ kind: 'changed', requestId: `R${i}`, message: '' });
      await botSignal.poke();
      await told;
      wake.push(t1 - t0);
      back.push(performance.now() - t1);
    }
    await worker.stop();
    await bot.stop();
    const describe = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `median ${percentile(s, 50).toFixed(0)} ms, p90 ${percentile(s, 90).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
    };
    return {
      rows: [
        { id: 'P3-handoff', what: `approval → the worker starts the saga (Table Storage signal row polled every ${SIGNAL_POLL_MS} ms), ${rounds} rounds`, figure: describe(wake) },
        { id: 'P3-notice', what: 'the worker\'s "verified" notice → the bot delivers it (notice row + signal row)', figure: describe(back) },
      ],
    };
  } finally {
    await azurite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
