import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, waitForHttp, type Child } from '../../src/cli/dev/childProcess';
import { findFreePort } from '../../src/cli/dev/ports';
import { playgroundConfig } from '../../src/cli/dev/playgroundConfig';
import { projectRoot } from '../../src/paths';

/**
 * The Agents Playground has no user switching in its page: who you are is `currentUser` in its
 * config file (`M365_AGENTS_PLAYGROUND_CONFIG_PATH`). A second person is a second Playground,
 * on the same bot, with another of the seed tenant's Playground users as `currentUser`.
 */
export { playgroundConfig };

/** Starts another Playground on `botUrl` as `userId`; its files (config, log) go to `dir`. */
export async function startPlaygroundAs(userId: string, botUrl: string, dir: string, waitMs: number): Promise<{ url: string; child: Child }> {
  const configPath = join(dir, `playground-${userId.slice(-3)}.yml`);
  writeFileSync(configPath, playgroundConfig(userId));
  const port = await findFreePort();
  const cli = join(projectRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  const child = startChild(`Agents Playground (${userId})`, process.execPath, [cli, '-e', botUrl, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], {
    cwd: dir,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath, M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, `playground-${userId.slice(-3)}.log`) },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, waitMs, child);
  return { url, child };
}
