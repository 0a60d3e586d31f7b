import { loadConfig, ConfigError, type Config } from './config';
import { createLogger, type Logger } from './logging';
import type { Onboard } from './compose/bot';
import type { Worker } from './compose/worker';
import { startLiveness } from './http/liveness';

export interface RunningBot {
  onboard: Onboard;
  url: string;
  stop(): Promise<void>;
}

/** Listens on the configured address and stops gracefully: no new turns, in-flight turns finish, then exit. */
export async function startBot(config: Config, logger: Logger): Promise<RunningBot> {
  // Loaded here, not at the top: the worker and the CLI's other commands never pay for Teams AI and botbuilder.
  const { composeOnboard } = await import('./compose/bot');
  const onboard = composeOnboard(config, logger);
  await new Promise<void>((resolve, reject) => {
    onboard.server.once('error', reject);
    onboard.server.listen(config.http.port, config.http.host, () => resolve());
  });
  const address = onboard.server.address();
  const url = `http://${config.http.host}:${address.port}`;
  onboard.sweeper.start();
  onboard.outboxSweeper.start();
  onboard.notices.start();
  onboard.expiryWatch?.start();
  onboard.reviewSweeper?.start();
  onboard.secrets.sweeper?.start();
  logger.info({ url, profile: config.profile }, 'Onboard is listening');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: finishing in-flight turns');
      const closed = new Promise<void>((resolve) => onboard.server.close(() => resolve()));
      await onboard.close();
      onboard.server.server.closeIdleConnections?.();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1_000))]);
    })());
  return { onboard, url, stop };
}

function configOrExit(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      process.exit(2);
    }
    throw error;
  }
}

function onSignals(stop: () => Promise<void>, logger: Logger): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().then(() => {
        logger.flush?.();
        process.exit(0);
      });
    });
  }
}

/** Entry point of the bot process. Exit 2 with a readable list for bad configuration; never a stack trace. */
export async function runBotProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = configOrExit(env);
  const logger = createLogger({ level: config.log.level, file: config.log.file });
  let bot: RunningBot;
  try {
    bot = await startBot(config, logger);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(code === 'EADDRINUSE' ? `Port ${config.http.port} is already in use. Stop the other process or set PORT to a free port.\n` : `Onboard could not start: ${(error as Error).message}\n`);
    process.exit(code === 'EADDRINUSE' ? 2 : 1);
  }
  process.stdout.write(JSON.stringify({ listening: true, url: bot.url, pid: process.pid }) + '\n');
  onSignals(bot.stop, logger);
}

/**
 * Entry point of the worker (`onboard worker`): no inbound endpoint. One JSON line on stdout once it works,
 * with what its identity can do; problems on stderr in words. Stopping lets running sagas reach their next step.
 */
export async function runWorkerProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = configOrExit(env);
  const logger = createLogger({ level: config.log.level, file: config.log.file });
  let worker: Worker;
  try {
    // The worker has no Teams side: loading only its own composition halves its start (and `onboard dev`'s).
    const { composeWorker } = await import('./compose/worker');
    worker = composeWorker(config, logger);
  } catch (error) {
    process.stderr.write(`The Onboard worker could not start: ${(error as Error).message}\n`);
    process.exit(2);
  }
  worker.start();
  const liveness = startLiveness(env);
  // Its timers are unref'd (they must never hold a stopping process open); with no server either, this keeps it running.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  // Side by side with its stores at start (onboard dev starts everything at once): look again for a while.
  let health = await worker.health();
  for (const until = Date.now() + 20_000; health.some((h) => h.state !== 'ok' && h.state !== 'degraded') && Date.now() < until; health = await worker.health()) {
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const h of health.filter((x) => x.state !== 'ok')) process.stderr.write(`worker: ${h.name} is ${h.state}: ${h.detail ?? ''}\n`);
  process.stdout.write(JSON.stringify({ working: true, pid: process.pid, health: Object.fromEntries(health.map((h) => [h.name, h.state])) }) + '\n');
  onSignals(async () => {
    clearInterval(keepAlive);
    liveness?.close();
    await worker.close();
  }, logger);
}

if (require.main === module) void (process.argv[2] === 'worker' ? runWorkerProcess() : runBotProcess());
