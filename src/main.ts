import { loadConfig, ConfigError, type Config } from './config';
import { createLogger, type Logger } from './logging';
import { composeOnboard, type Onboard } from './compose';

export interface RunningBot {
  onboard: Onboard;
  url: string;
  stop(): Promise<void>;
}

/** Listens on the configured address and stops gracefully: no new turns, in-flight turns finish, then exit. */
export async function startBot(config: Config, logger: Logger): Promise<RunningBot> {
  const onboard = composeOnboard(config, logger);
  await new Promise<void>((resolve, reject) => {
    onboard.server.once('error', reject);
    onboard.server.listen(config.http.port, config.http.host, () => resolve());
  });
  const address = onboard.server.address();
  const url = `http://${config.http.host}:${address.port}`;
  onboard.sweeper.start();
  onboard.outboxSweeper.start();
  onboard.provisioningSweeper?.start();
  onboard.expiryWatch?.start();
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

/** Entry point of the bot process. Exit 2 with a readable list for bad configuration; never a stack trace. */
export async function runBotProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      process.exit(2);
    }
    throw error;
  }
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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void bot.stop().then(() => {
        logger.flush?.();
        process.exit(0);
      });
    });
  }
}

if (require.main === module) void runBotProcess();
