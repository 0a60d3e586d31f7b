/**
 * `npm run bench`: runs every benchmark, prints one Markdown table and writes bench/results.json.
 * `--smoke` runs each briefly (npm test uses it as a does-it-still-run check, never as a timing gate).
 */
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureCertificateAuthority } from '../src/localcloud';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/paths';
import type { Bench, BenchRow } from './types';

const benches: Record<string, () => Promise<{ run: Bench }>> = {
  parsePlan: () => import('./parsePlan'),
  approvalInvoke: () => import('./approvalInvoke'),
  footprint: () => import('./botFootprint'),
  localcloud: () => import('./localcloud'),
  provisioning: () => import('./provisioning'),
};

export async function runAll(smoke: boolean, only?: string[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [name, load] of Object.entries(benches)) {
    if (only?.length && !only.includes(name)) continue;
    try {
      rows.push(...(await (await load()).run({ smoke })).rows);
    } catch (error) {
      rows.push({ id: name, what: `${name} failed`, figure: (error as Error).message });
    }
  }
  return rows;
}

export function markdown(rows: BenchRow[]): string {
  return ['| id | what | figure |', '|---|---|---|', ...rows.map((r) => `| ${r.id} | ${r.what} | ${r.figure} |`)].join('\n');
}

/**
 * Benchmarks that talk to the local cloud in-process need Node to trust its CA, which Node reads only
 * at start-up: so the runner makes the CA, then runs itself again with it trusted.
 */
function relaunchTrustingLocalCloud(): boolean {
  const caDir = process.env.ONBOARD_TEST_CA_DIR ?? join(projectRoot, '.data', 'bench', 'ca');
  const { caCertPath } = ensureCertificateAuthority(caDir);
  if (process.env.NODE_EXTRA_CA_CERTS === caCertPath) return false;
  const result = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath, ONBOARD_TEST_CA_DIR: caDir } });
  process.exitCode = result.status ?? 1;
  return true;
}

if (require.main === module && !relaunchTrustingLocalCloud()) {
  const smoke = process.argv.includes('--smoke');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  void runAll(smoke, only).then((rows) => {
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    console.log(`Onboard benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine}${smoke ? ' (smoke)' : ''}\n`);
    console.log(markdown(rows));
    if (!smoke && only.length === 0) writeFileSync(join(projectRoot, 'bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2) + '\n');
  });
}
