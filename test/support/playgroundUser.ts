import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, waitForHttp, type Child } from '../../src/cli/dev/childProcess';
import { findFreePort } from '../../src/cli/dev/ports';
import { SEED_USERS } from '../../src/localcloud/seedIds';
import { projectRoot } from '../../src/paths';

/**
 * The Agents Playground has no user switching in its page: who you are is `currentUser` in its
 * config file (`M365_AGENTS_PLAYGROUND_CONFIG_PATH`). A second person is a second Playground,
 * on the same bot, with another of the seed tenant's Playground users as `currentUser`.
 */
export function playgroundConfig(currentUserId: string): string {
  const people = SEED_USERS.filter((u) => u.playground);
  const me = people.find((u) => u.id === currentUserId);
  if (!me) throw new Error(`${currentUserId} is not one of the Playground's users`);
  // The Playground's schema wants at least five other users; JSON strings are valid YAML scalars.
  const user = (u: (typeof people)[number], indent: string) =>
    [`id: ${JSON.stringify(`user-id-${people.indexOf(u)}`)}`, `name: ${JSON.stringify(u.displayName)}`, `userPrincipleName: ${JSON.stringify(u.userPrincipalName)}`, `aadObjectId: ${JSON.stringify(u.id)}`, `givenName: ${JSON.stringify(u.givenName)}`, `surname: ${JSON.stringify(u.surname)}`, `email: ${JSON.stringify(u.userPrincipalName)}`]
      .map((line, i) => (i === 0 ? line : indent + line))
      .join('\n');
  return [
    'version: "0.1.1"',
    'tenantId: "00000000-0000-0000-0000-0000000000001"',
    'bot:',
    '  id: "00000000-0000-0000-0000-00000000000011"',
    '  name: "Onboard"',
    'currentUser:',
    `  ${user(me, '  ')}`,
    'users:',
    ...people.filter((u) => u !== me).map((u) => `  - ${user(u, '    ')}`),
    'personalChat:',
    `  id: ${JSON.stringify(`personal-${me.givenName.toLowerCase()}`)}`,
    'groupChat:',
    `  id: ${JSON.stringify(`group-${me.givenName.toLowerCase()}`)}`,
    '  name: "Group Chat"',
    'team:',
    '  id: "team-id"',
    '  name: "My Team"',
    '  aadGroupId: "00000000-0000-0000-0000-000000000031"',
    '  channels:',
    '    - id: "channel-announcements-id"',
    '      name: "Announcements"',
    '',
  ].join('\n');
}

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
