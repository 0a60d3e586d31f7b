/**
 * L1: 50 conversations × 20 mixed commands over HTTP against the bot running as `node dist/src/main.js`, with a
 * loopback fake connector. With `--soak`, S1: the same load again and again for 2 minutes, the bot's RSS sampled
 * every 5 s, the heap left after a full GC after each round (gcProbe.ts), and least-squares slopes of both.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { startAzurite } from '../src/cli/dev/azurite';
import { startChild, waitForLine } from '../src/cli/dev/childProcess';
import { azuriteConnectionString } from '../src/adapters/tables/tableClients';
import { projectRoot } from '../src/paths';
import { FakeConnector } from '../test/support/fakeConnector';
import { runConversations } from './conversationLoad';
import { percentile } from './parsePlan';
import type { BenchResult, BenchRow } from './types';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Least-squares slope of (minutes, MB) samples. */
export function slopePerMinute(samples: { atMs: number; mb: number }[]): number {
  const xs = samples.map((s) => s.atMs / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = samples.reduce((a, s) => a + s.mb, 0) / samples.length;
  const num = samples.reduce((a, s, i) => a + (xs[i] - mx) * (s.mb - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** Asks the bot (preloaded with gcProbe) for its heap after a full GC, and waits for the answer on its stderr. */
function heapProbe(child: ChildProcess) {
  let buffered = '';
  const waiting: ((mb: number) => void)[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('{"heapAfterGcMb"')) waiting.shift()?.((JSON.parse(line) as { heapAfterGcMb: number }).heapAfterGcMb);
    }
  });
  return {
    sample: () => new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bot did not report its heap (is gcProbe preloaded?)')), 10_000);
      waiting.push((mb) => (clearTimeout(timer), resolve(mb)));
      child.kill('SIGUSR2');
    }),
  };
}

export async function run(opts: { smoke: boolean; soak?: boolean }): Promise<BenchResult> {
  const soak = opts.soak ?? process.argv.includes('--soak');
  const shape = opts.smoke ? { conversations: 5, commandsEach: 4 } : { conversations: 50, commandsEach: 20 };
  const dataDir = mkdtempSync(join(tmpdir(), 'onboard-bench-soak-'));
  const testTables = process.env.ONBOARD_TEST_TABLES_URL;
  const azurite = testTables ? undefined : await startAzurite({ location: dataDir });
  const connector = await new FakeConnector().start();
  const bot = startChild('bot', process.execPath, ['--expose-gc', '-r', join(projectRoot, 'dist', 'bench', 'gcProbe.js'), join(projectRoot, 'dist', 'src', 'main.js')], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', TABLES_CONNECTION_STRING: azuriteConnectionString(testTables ?? azurite!.tableUrl), TABLES_PREFIX: `bsoak${randomBytes(3).toString('hex')}` },
  });
  try {
    const { url } = JSON.parse(await waitForLine(bot, (l) => l.startsWith('{"listening"'), 30_000)) as { url: string };
    const messages = `${url}/api/messages`;
    const first = await runConversations(messages, connector, shape);
    const rows: BenchRow[] = [{
      id: 'L1', what: `load: ${shape.conversations} conversations at once × ${shape.commandsEach} mixed commands each, HTTP, bot process, fake connector`,
      figure: `${first.errors.length} errors in ${first.turns} turns; p50 ${first.p50.toFixed(1)} ms, p99 ${first.p99.toFixed(1)} ms`,
    }];
    if (soak) {
      const durationMs = opts.smoke ? 5_000 : 120_000;
      const everyMs = opts.smoke ? 1_000 : 5_000;
      const started = Date.now();
      const samples = [{ atMs: 0, mb: rssMb(bot.process.pid!) }];
      const sampler = setInterval(() => samples.push({ atMs: Date.now() - started, mb: rssMb(bot.process.pid!) }), everyMs);
      const heap = heapProbe(bot.process);
      const heaps = [{ atMs: 0, mb: await heap.sample() }];
      const latencies: number[] = [];
      let errors = 0;
      let turns = 0;
      for (let round = 1; Date.now() - started < durationMs; round++) {
        const figures = await runConversations(messages, connector, { ...shape, round });
        latencies.push(...figures.latencies);
        errors += figures.errors.length;
        turns += figures.turns;
        // The fake connector keeps what it received; the soak only needs this round's replies.
        connector.posts.length = 0;
        heaps.push({ atMs: Date.now() - started, mb: await heap.sample() });
      }
      clearInterval(sampler);
      samples.push({ atMs: Date.now() - started, mb: rssMb(bot.process.pid!) });
      latencies.sort((a, b) => a - b);
      const slope = slopePerMinute(samples.slice(1));
      // Medians of each half: one garbage-collection peak moves a least-squares slope, not a median.
      const half = (from: number, to: number) => {
        const mbs = samples.filter((x) => x.atMs > from && x.atMs <= to).map((x) => x.mb).sort((a, b) => a - b);
        return mbs.length ? mbs[Math.floor(mbs.length / 2)] : NaN;
      };
      console.log(`soak RSS samples (s → MB): ${samples.map((s) => `${Math.round(s.atMs / 1000)}→${s.mb.toFixed(0)}`).join(', ')}`);
      console.log(`soak heap after a full GC, after each round (s → MB): ${heaps.map((s) => `${Math.round(s.atMs / 1000)}→${s.mb.toFixed(1)}`).join(', ')}`);
      const heapSlope = slopePerMinute(heaps.slice(1));
      rows.push({
        id: 'S1', what: `soak: that load repeated for ${durationMs / 1000} s, bot RSS sampled every ${everyMs / 1000} s`,
        figure: `${turns} turns, ${errors} errors, p99 ${percentile(latencies, 99).toFixed(1)} ms; RSS ${samples[0].mb.toFixed(0)} MB at the start, ${samples[samples.length - 1].mb.toFixed(0)} MB at the end (${samples.length} samples printed above); slope after warm-up ${slope.toFixed(1)} MB/min; median RSS first half ${half(0, durationMs / 2).toFixed(0)} MB, second half ${half(durationMs / 2, Infinity).toFixed(0)} MB; heap after full GC ${heaps[1]?.mb.toFixed(1)} MB after round 1, ${heaps[heaps.length - 1].mb.toFixed(1)} MB after round ${heaps.length - 1}, slope ${heapSlope.toFixed(2)} MB/min`,
      });
    }
    return { rows };
  } finally {
    await bot.stop();
    await connector.stop();
    await azurite?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
