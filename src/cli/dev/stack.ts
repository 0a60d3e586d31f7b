import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../paths';
import { startAzurite, type RunningAzurite } from './azurite';
import { startChild, waitForHttp, waitForLine, type Child } from './childProcess';
import { findFreePort } from './ports';
import { azuriteConnectionString } from '../../adapters/tables/tableClients';

export interface DevOptions {
  port: number;
  dataDir: string;
  playground: boolean;
  progress: (line: string) => void;
  /** Extra environment for the bot process (the local cloud's endpoints and credentials). */
  botEnv?: Record<string, string>;
  /** Started before the bot; its environment is merged into the bot's. */
  beforeBot?: () => Promise<{ env: Record<string, string>; stop(): Promise<void>; child?: Child; summary: Record<string, unknown> }>;
}

export interface DevStack {
  ready: Record<string, unknown>;
  children: Child[];
  /** Resolves with the name of the first child that died on its own. */
  crashed: Promise<string>;
  stop(): Promise<void>;
}

/** Azurite, (the local cloud,) the bot and the Playground, started in order; stopped in reverse. */
export async function startDevStack(options: DevOptions): Promise<DevStack> {
  const stops: (() => Promise<void>)[] = [];
  const children: Child[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    mkdirSync(options.dataDir, { recursive: true });
    options.progress('Starting Azurite (Table Storage emulator)…');
    const azurite: RunningAzurite = await startAzurite({ location: join(options.dataDir, 'azurite') });
    stops.push(azurite.stop);
    children.push(azurite.child);

    let extra: Record<string, unknown> = {};
    let env: Record<string, string> = { ...options.botEnv };
    if (options.beforeBot) {
      const before = await options.beforeBot();
      stops.push(before.stop);
      if (before.child) children.push(before.child);
      env = { ...env, ...before.env };
      extra = before.summary;
    }

    options.progress('Starting the bot…');
    const logFile = join(options.dataDir, 'logs', 'bot.jsonl');
    const bot = startChild('bot', process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
      env: {
        ...process.env, ONBOARD_PROFILE: 'local', HOST: '127.0.0.1', PORT: String(options.port), ONBOARD_DATA_DIR: options.dataDir,
        TABLES_CONNECTION_STRING: azuriteConnectionString(azurite.tableUrl), LOG_FILE: logFile, ...env,
      },
    });
    stops.push(() => bot.stop());
    children.push(bot);
    bot.process.stderr?.on('data', (chunk) => options.progress(`bot: ${String(chunk).trimEnd()}`));
    const listening = JSON.parse(await waitForLine(bot, (line) => line.startsWith('{"listening"'), 30_000)) as { url: string };
    const botUrl = `${listening.url}/api/messages`;

    let playgroundUrl: string | null = null;
    if (options.playground) {
      options.progress('Starting the Microsoft 365 Agents Playground…');
      const port = await findFreePort();
      const cli = join(projectRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
      const playground = startChild('Agents Playground', process.execPath, [cli, '-e', botUrl, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], { env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' } });
      stops.push(() => playground.stop());
      children.push(playground);
      playgroundUrl = `http://127.0.0.1:${port}`;
      await waitForHttp(playgroundUrl, 60_000, playground);
    }

    const crashed = Promise.race(children.map((c) => c.exited.then(() => c.name)));
    const ready = { ready: true, bot: botUrl, playground: playgroundUrl, healthz: `${listening.url}/healthz`, tables: azurite.tableUrl, logs: logFile, ...extra };
    return { ready, children, crashed, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
