import { spawnSync } from 'node:child_process';

/** Whether this machine can make a loopback-only network namespace (`unshare -n`). */
export function canIsolateNetwork(): boolean {
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Runs a node script inside a fresh loopback-only namespace and returns its stdout. */
export function runIsolated(script: string, args: string[], timeoutMs: number): { stdout: string; stderr: string; status: number | null } {
  const quoted = [process.execPath, script, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec ${quoted}`], { encoding: 'utf8', timeout: timeoutMs });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}
