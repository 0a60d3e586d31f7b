import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../src/paths';
import { startTestCloud, tempDataDir } from './helpers';

function runCli(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'onboard.js'), 'localcloud', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let stderr = '';
  child.stderr?.on('data', (chunk) => { stderr += String(chunk); });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', () => reject(new Error(`onboard localcloud exited before its ready line: ${stderr}`)));
  });
  firstLine.catch(() => undefined);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exit, stderr: () => stderr };
}

describe('onboard localcloud', () => {
  it('prints one ready line with everything a client needs, serves it, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const run = runCli(['--port', '0', '--data', dataDir]);
    try {
      const ready = JSON.parse(await run.firstLine);
      expect(ready).toEqual({
        ready: true, authorityHost: expect.stringMatching(/^https:\/\/localhost:\d+$/), tenantId: expect.any(String), tenantName: 'Contoso (local)',
        graphBaseUrl: `${ready.authorityHost}/v1.0`, vaultUrl: ready.authorityHost, caCertPath: expect.stringMatching(/\.pem$/),
        bot: { clientId: expect.any(String), clientSecret: expect.any(String) },
        worker: { clientId: expect.any(String), clientSecret: expect.any(String) },
        users: expect.arrayContaining([{ name: 'Alex Wilber', id: '00000000-0000-0000-0000-0000000000020', userPrincipalName: 'alexw@example.com', roles: ['requester'] }]),
      });
      expect(ready.users.some((u: { roles: string[] }) => u.roles.includes('approver'))).toBe(true);
      const discovery = await fetch(`${ready.authorityHost}/${ready.tenantId}/v2.0/.well-known/openid-configuration`);
      expect((await discovery.json()).token_endpoint).toBe(`${ready.authorityHost}/${ready.tenantId}/oauth2/v2.0/token`);
      // `onboard dev` runs this same command: eventual consistency is on unless someone turns it off.
      expect((await (await fetch(`${ready.authorityHost}/_localcloud/health`)).json()).consistency).toMatchObject({ mode: 'eventual' });
      const page = await (await fetch(`${ready.authorityHost}/`)).text();
      expect(page).toContain('Contoso HR Portal');
      expect(page).not.toContain(ready.bot.clientSecret);
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names the port and --port when the port is taken', async () => {
    const { cloud, stop } = await startTestCloud();
    const dataDir = tempDataDir();
    try {
      const run = runCli(['--port', String(cloud.port), '--data', dataDir]);
      expect(await run.exit).toBe(2);
      expect(run.stderr()).toContain(`Port ${cloud.port} is already in use`);
      expect(run.stderr()).toContain('--port');
    } finally {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
