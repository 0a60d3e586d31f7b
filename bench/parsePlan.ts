/** Parse + plan time per command over the phrasing table (in-process, no I/O): p50 and p99. */
import { createDomainPlanner } from '../src/app/requests/domainPlanner';
import { phrasings } from '../test/domain/phrasings';
import type { BenchResult } from './types';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function run(opts: { smoke: boolean }): Promise<BenchResult> {
  const planner = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 });
  const rounds = opts.smoke ? 2 : 50;
  for (const [text] of phrasings) planner(text, {}, {}, 'warm-up');
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [text] of phrasings) {
      const started = process.hrtime.bigint();
      planner(text, {}, {}, `seed-${r}`);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  times.sort((a, b) => a - b);
  return { rows: [{ id: 'D1', what: `parse + plan per command (${phrasings.length} phrasings × ${rounds})`, figure: `p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms` }] };
}

if (require.main === module) void run({ smoke: process.argv.includes('--smoke') }).then((r) => console.table(r.rows));
