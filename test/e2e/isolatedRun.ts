import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { canIsolateNetwork } from '../support/namespace';

export interface ScenarioLine {
  step?: number;
  name?: string;
  facts?: Record<string, unknown>;
  error?: string;
  done?: boolean;
  [key: string]: unknown;
}

const chromiumPath = '/usr/bin/chromium';

/**
 * A new PID namespace as well as the network one, when the kernel allows it: the scenario is its
 * init, so when it dies (or is killed) the kernel ends every process it started, whatever happens.
 */
function namespaceFlags(): string[] {
  const withPids = spawnSync('unshare', ['-n', '-p', '-f', '--kill-child', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  return withPids.status === 0 ? ['-n', '-p', '-f', '--kill-child'] : ['-n'];
}

/** Why the browser scenario cannot run on this machine, or undefined when it can. */
export function browserScenarioBlocker(): string | undefined {
  if (!canIsolateNetwork()) return 'this machine cannot make a loopback-only network namespace (`unshare -n`), and the Agents Playground must not reach the network';
  if (!existsSync(chromiumPath)) return `Debian's Chromium is not installed at ${chromiumPath} (apt-get install chromium; .ci/run does)`;
  return undefined;
}

/**
 * Runs the scenario inside a loopback-only namespace, collecting its JSON lines. It runs in its own
 * process group, killed whole at `budgetMs`; the lines so far are returned either way.
 */
export async function runScenarioIsolated(script: string, artifacts: string, budgetMs: number): Promise<{ lines: ScenarioLine[]; stderr: string; leftovers: number[] }> {
  mkdirSync(artifacts, { recursive: true });
  const quoted = [process.execPath, script, artifacts].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('unshare', [...namespaceFlags(), 'sh', '-c', `ip link set lo up && exec ${quoted}`], { cwd: artifacts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: ScenarioLine[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-20_000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) lines.push(JSON.parse(line) as ScenarioLine);
  });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => {
    lines.push({ error: `the scenario was still running after ${budgetMs / 1000} s and was killed` });
    killGroup();
  }, budgetMs);
  await new Promise((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  killGroup();
  return { lines, stderr, leftovers: await processesUnder(artifacts) };
}

/** Processes still working in, or naming, the artifacts folder: anything the run failed to stop. */
async function processesUnder(folder: string): Promise<number[]> {
  // The kernel tears a PID namespace down asynchronously; give it a moment before judging.
  for (let attempt = 0; ; attempt++) {
    const found = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
      try {
        if (readlinkSync(`/proc/${pid}/cwd`).startsWith(folder)) return true;
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
      } catch {
        return false;
      }
    });
    if (!found.length || attempt === 20) return found.map(Number);
    await new Promise((r) => setTimeout(r, 250));
  }
}
