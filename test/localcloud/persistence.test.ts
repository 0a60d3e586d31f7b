import { rmSync } from 'node:fs';
import { startLocalCloud } from '../../src/localcloud';
import { graphClient, secretClient, tempDataDir } from './helpers';

describe('local cloud state', () => {
  const dataDir = tempDataDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('survives a restart on the same data folder, and reset brings back the seed tenant', async () => {
    const first = await startLocalCloud({ dataDir, contracts: 'enforce', env: {} });
    const app = await graphClient(first).api('/applications').post({ displayName: 'Kept across restarts' });
    await secretClient(first).setSecret('kept', 'value-1');
    const seedCount = first.state.applications.length - 1;
    await first.close();

    const second = await startLocalCloud({ dataDir, contracts: 'enforce', env: {} });
    try {
      expect(second.bot.clientSecret).toBe(first.bot.clientSecret);
      expect((await graphClient(second).api(`/applications/${app.id}`).get()).displayName).toBe('Kept across restarts');
      expect((await secretClient(second).getSecret('kept')).value).toBe('value-1');
      const reset = await fetch(`${second.url}/_localcloud/reset`, { method: 'POST' });
      expect(reset.status).toBe(204);
      await expect(graphClient(second).api(`/applications/${app.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
      expect(second.state.applications).toHaveLength(seedCount);
      // The seed's vault holds only the approval key (what Azure's deploy makes); everything written since is gone.
      expect(Object.keys(second.state.vault.secrets)).toEqual(['onboard-approval-key']);
      // The bot's secret outlives a reset, so a running bot keeps working.
      expect((await graphClient(second).api('/organization').get()).value[0].displayName).toBe('Contoso (local)');
      expect(second.contracts.violations()).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('starts from the seed when asked to reset at start', async () => {
    const before = await startLocalCloud({ dataDir, env: {} });
    before.seedApps(5);
    const count = before.state.applications.length;
    await before.close();
    const after = await startLocalCloud({ dataDir, reset: true, env: {} });
    try {
      expect(after.state.applications.length).toBe(count - 5);
    } finally {
      await after.close();
    }
  });

  it('explains a port that is taken, naming the port', async () => {
    const running = await startLocalCloud({ dataDir, env: {} });
    const other = tempDataDir();
    try {
      await expect(startLocalCloud({ dataDir: other, port: running.port, env: {} })).rejects.toMatchObject({ code: 'EADDRINUSE', message: expect.stringContaining(`Port ${running.port} is already in use`) });
    } finally {
      await running.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
