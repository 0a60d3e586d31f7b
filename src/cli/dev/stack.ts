import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { projectRoot } from '../../paths';
import { startAzurite } from './azurite';
import { startChild, waitForHttp, waitForLine, type Child } from './childProcess';
import { findFreePort } from './ports';
import { azuriteConnectionString } from '../../adapters/tables/tableClients';
import { expectedReadyLine, localCloudEnv, localCloudWorkerEnv, startLocalCloudChild } from './localCloudChild';
import { playgroundConfig } from './playgroundConfig';

export interface DevOptions {
  port: number;
  dataDir: string;
  playground: boolean;
  progress: (line: string) => void;
  /** Extra environment for the bot process. */
  botEnv?: Record<string, string>;
  /** Extra environment for the worker process. */
  workerEnv?: Record<string, string>;
}

export interface DevStack {
  ready: Record<string, unknown>;
  children: Child[];
  /** Resolves with the name of the first child that died on its own. */
  crashed: Promise<string>;
  stop(): Promise<void>;
}

/** What an administrator does in the portal (Authentication › Web › Redirect URIs), through the local cloud's control endpoint. */
async function registerSignInRedirect(localCloud: string, caCertPath: string, appId: string, uri: string): Promise<void> {
  // This process does not trust the local cloud's dev CA (only the bot child is started with NODE_EXTRA_CA_CERTS),
  // so this one request names it; fetch would fail on the certificate.
  const body = JSON.stringify({ appId, uri });
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${localCloud}/_localcloud/signin/redirect-uris`, { method: 'POST', ca: readFileSync(caCertPath), headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
  if (status !== 204) throw new Error(`the local cloud did not register the sign-in redirect URI ${uri} (HTTP ${status})`);
}

/** Azurite, the local cloud, the bot, the worker and the Playground; stopped in reverse order. */
export async function startDevStack(options: DevOptions): Promise<DevStack> {
  const stops: (() => Promise<void>)[] = [];
  const children: Child[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    mkdirSync(options.dataDir, { recursive: true });
    // Nothing here waits on anything else: the bot's settings are known before Azurite and the local
    // cloud are up (ports chosen now, CA and credentials made now), so all three start side by side.
    const cloudDir = join(options.dataDir, 'localcloud');
    const azuritePort = await findFreePort();
    const cloudPort = await findFreePort();
    const expected = expectedReadyLine(cloudDir, cloudPort);
    const logFile = join(options.dataDir, 'logs', 'bot.jsonl');
    const workerLog = join(options.dataDir, 'logs', 'worker.jsonl');
    options.progress('Starting Azurite (Table Storage), the local cloud (Entra, Microsoft Graph and Key Vault stand-in), the bot and the worker…');
    const common = {
      ...process.env, ONBOARD_PROFILE: 'local', ONBOARD_DATA_DIR: options.dataDir, TABLES_CONNECTION_STRING: azuriteConnectionString(`http://127.0.0.1:${azuritePort}`),
    };
    const bot = startChild('bot', process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
      env: { ...common, HOST: '127.0.0.1', PORT: String(options.port), LOG_FILE: logFile, ...localCloudEnv(expected), ...options.botEnv },
    });
    // The worker runs as its own identity (the Graph write roles); the bot's identity only reads.
    const worker = startChild('worker', process.execPath, [join(projectRoot, 'dist', 'src', 'main.js'), 'worker'], {
      env: { ...common, LOG_FILE: workerLog, ...localCloudWorkerEnv(expected), ...options.workerEnv },
    });
    for (const child of [bot, worker]) {
      stops.push(() => child.stop());
      children.push(child);
      child.process.stderr?.on('data', (chunk) => options.progress(`${child.name}: ${String(chunk).trimEnd()}`));
    }
    const [azuriteStart, cloudStart, botStart, workerStart] = await Promise.allSettled([
      startAzurite({ location: join(options.dataDir, 'azurite'), port: azuritePort }),
      startLocalCloudChild(cloudDir, cloudPort),
      waitForLine(bot, (line) => line.startsWith('{"listening"'), 30_000),
      waitForLine(worker, (line) => line.startsWith('{"working"'), 30_000),
    ]);
    for (const started of [azuriteStart, cloudStart]) {
      if (started.status === 'fulfilled') {
        stops.push(() => started.value.child.stop());
        children.push(started.value.child);
      }
    }
    for (const started of [azuriteStart, cloudStart, botStart, workerStart]) if (started.status === 'rejected') throw started.reason;
    const working = JSON.parse((workerStart as PromiseFulfilledResult<string>).value) as { pid: number; health: Record<string, string> };
    options.progress(`worker: running as its own identity (pid ${working.pid}); ${Object.entries(working.health).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const [azurite, cloud] = [(azuriteStart as PromiseFulfilledResult<Awaited<ReturnType<typeof startAzurite>>>).value, (cloudStart as PromiseFulfilledResult<Awaited<ReturnType<typeof startLocalCloudChild>>>).value];
    const listening = JSON.parse((botStart as PromiseFulfilledResult<string>).value) as { url: string };
    const botUrl = `${listening.url}/api/messages`;
    // The one-time link page signs people in through the local cloud, which sends them back only to a registered URI.
    const publicUrl = options.botEnv?.PUBLIC_URL ?? process.env.PUBLIC_URL ?? listening.url;
    await registerSignInRedirect(cloud.ready.authorityHost, cloud.ready.caCertPath, cloud.ready.bot.clientId, `${publicUrl.replace(/\/$/, '')}/secrets/signin`);

    let playgroundUrl: string | null = null;
    if (options.playground) {
      options.progress('Starting the Microsoft 365 Agents Playground…');
      const port = await findFreePort();
      const cli = join(projectRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
      // The Playground must name the tenant the bot serves (the local cloud's), or every turn is refused.
      const configPath = join(options.dataDir, 'playground.yml');
      writeFileSync(configPath, playgroundConfig());
      const playground = startChild('Agents Playground', process.execPath, [cli, '-e', botUrl, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], { env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath } });
      stops.push(() => playground.stop());
      children.push(playground);
      playgroundUrl = `http://127.0.0.1:${port}`;
      await waitForHttp(playgroundUrl, 60_000, playground);
    }

    const crashed = Promise.race(children.map((c) => c.exited.then(() => c.name)));
    const ready = {
      ready: true, bot: botUrl, playground: playgroundUrl, healthz: `${listening.url}/healthz`, localcloud: cloud.ready.authorityHost,
      tenant: cloud.ready.tenantName, tables: azurite.tableUrl, logs: logFile,
      worker: { pid: working.pid, health: working.health, logs: workerLog },
    };
    return { ready, children, crashed, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
