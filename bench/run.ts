/**
 * `npm run bench`: runs every benchmark, prints one Markdown table and writes bench/results.json.
 * `--smoke` runs each briefly (npm test uses it as a does-it-still-run check, never as a timing gate).
 */
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureCertificateAuthority } from '../src/localcloud';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/paths';
import type { Bench, BenchRow } from './types';

const benches: Record<string, () => Promise<{ run: Bench }>> = {
  parsePlan: () => import('./parsePlan'),
  approvalInvoke: () => import('./approvalInvoke'),
  submitInvoke: () => import('./submitInvoke'),
  footprint: () => import('./botFootprint'),
  localcloud: () => import('./localcloud'),
  provisioning: () => import('./provisioning'),
  helpdesk: () => import('./helpdesk'),
  throttledLoad: () => import('./throttledLoad'),
  scaleOut: () => import('./scaleOut'),
  handoff: () => import('./handoff'),
  load: () => import('./soak'),
};

export async function runAll(smoke: boolean, only?: string[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [name, load] of Object.entries(benches)) {
    if (only?.length && !only.includes(name)) continue;
    try {
      rows.push(...(await (await load()).run({ smoke })).rows);
    } catch (error) {
      rows.push({ id: failedIds[name] ?? name, what: `${name} failed`, figure: (error as Error).message, ...(failedIds[name] ? { target: 'runs to the end', met: false } : {}) });
    }
  }
  return rows;
}

/** The rows a failed bench would have reported, so the table still shows P1–P6 (as failed). */
const failedIds: Record<string, string> = { footprint: 'P1, P5', approvalInvoke: 'P2', provisioning: 'P3', throttledLoad: 'P4', scaleOut: 'P6' };

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table (P1–P6: id, what, measured, target, met?), then every other figure. */
export function markdown(rows: BenchRow[]): string {
  const targeted = rows.filter((r) => r.target !== undefined).sort((a, b) => a.id.localeCompare(b.id));
  const others = rows.filter((r) => r.target === undefined);
  const main = targeted.length ? ['| id | what | measured | target | met? |', '|---|---|---|---|---|', ...targeted.map((r) => `| ${r.id} | ${cell(r.what)} | ${cell(r.figure)} | ${cell(r.target!)} | ${r.met ? 'yes' : 'no'} |`)] : [];
  const rest = others.length ? ['| id | other figures | measured |', '|---|---|---|', ...others.map((r) => `| ${r.id} | ${cell(r.what)} | ${cell(r.figure)} |`)] : [];
  return [...main, ...(main.length && rest.length ? [''] : []), ...rest].join('\n');
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
    // The load average says how much else the machine was doing: these figures move with it.
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at start`;
    console.log(`Onboard benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine}${smoke ? ' (smoke)' : ''}\n`);
    console.log(markdown(rows));
    if (!smoke && only.length === 0) writeFileSync(join(projectRoot, 'bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2) + '\n');
  });
}
