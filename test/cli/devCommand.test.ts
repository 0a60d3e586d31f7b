import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canIsolateNetwork, runIsolated } from '../support/namespace';
import { distFile } from '../support/dist';

const isolated = canIsolateNetwork();
if (!isolated) console.warn('Skipping `onboard dev` test: this machine cannot create a loopback-only namespace (unshare -n).');

(isolated ? describe : describe.skip)('onboard dev --no-playground, in a loopback-only namespace', () => {
  it('prints the ready line, serves /healthz, and leaves no child alive after SIGTERM', () => {
    const data = mkdtempSync(join(tmpdir(), 'onboard-dev-'));
    const run = runIsolated(distFile('test', 'support', 'devProbe.js'), ['--no-playground', '--port', '0', '--data', data], 120_000);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(report.readyLine).not.toBeNull();
    const ready = JSON.parse(report.readyLine);
    expect(ready).toMatchObject({ ready: true, bot: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/messages$/), playground: null });
    expect(report.health.status).toBe(200);
    expect(report.health.body.dependencies.storage.state).toBe('ok');
    expect(report.childPids.length).toBeGreaterThanOrEqual(2);
    expect(report.exitCode).toBe(0);
    expect(report.aliveAfterStop).toEqual([]);
    expect(report.stderr).not.toMatch(/unexpectedly/);
  }, 150_000);
});

describe('onboard dev with a busy port', () => {
  it('names the port and the flag to change it', async () => {
    const { createServer } = await import('node:net');
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    const { main } = await import('../../src/cli/main');
    let err = '';
    const code = await main(['dev', '--no-playground', '--port', String(port)], { stdout: () => undefined, stderr: (t) => (err += t), env: {}, cwd: tmpdir() });
    server.close();
    expect(code).toBe(2);
    expect(err).toContain(`Port ${port} is already in use`);
    expect(err).toContain('--port');
  });
});
