/**
 * Runs inside a loopback-only network namespace (see devCommand.test.ts): starts `onboard dev`,
 * checks what a developer would check, stops it with SIGTERM and reports as one JSON line.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { descendants, isAlive } from './processTree';

async function probe(args: string[]): Promise<Record<string, unknown>> {
  const started = Date.now();
  const dev = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'bin', 'onboard.js'), 'dev', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  dev.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((r) => dev.on('exit', (code) => r(code)));
  const line = await new Promise<string | undefined>((resolve) => {
    createInterface({ input: dev.stdout }).on('line', (l) => l.startsWith('{') && resolve(l));
    void exited.then(() => resolve(undefined));
    setTimeout(() => resolve(undefined), 90_000).unref();
  });
  const report: Record<string, unknown> = { readyLine: line ?? null, coldStartMs: Date.now() - started };
  if (line) {
    const ready = JSON.parse(line);
    const health = await fetch(ready.healthz).then(async (r) => ({ status: r.status, body: await r.json() }), (e) => ({ error: String(e) }));
    report.health = health;
    if (ready.playground) report.playgroundStatus = await fetch(ready.playground).then((r) => r.status, () => 0);
    const pids = descendants(dev.pid!);
    report.childPids = pids;
    dev.kill('SIGTERM');
    report.exitCode = await exited;
    await new Promise((r) => setTimeout(r, 200));
    report.aliveAfterStop = pids.filter(isAlive);
  } else {
    dev.kill('SIGKILL');
    report.exitCode = await exited;
  }
  report.stderr = stderr.slice(-2000);
  return report;
}

void probe(process.argv.slice(2)).then((r) => process.stdout.write(JSON.stringify(r) + '\n'));
