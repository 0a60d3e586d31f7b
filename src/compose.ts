import type { Config } from './config';
import type { Logger } from './logging';
import { packageVersion } from './paths';
import { createTeamsAdapter, createTeamsApplication, createBotEndpoint, type OnboardApplication } from './teams/app';
import { createHttpServer } from './http/server';
import { InflightTracker } from './http/inflight';
import { createTableClientFactory } from './adapters/tables/tableClients';
import { tableStorageProbe } from './adapters/tables/tableHealth';
import { createCredential } from './adapters/identity/credentials';
import type { HealthProbe } from './app/ports';
import { helpTopics } from './teams/topics';

export interface Onboard {
  server: ReturnType<typeof createHttpServer>['server'];
  app: OnboardApplication;
  inflight: InflightTracker;
  /** Waits for in-flight turns (up to the grace period), then releases resources. */
  close(): Promise<void>;
}

/** The composition root: config → credentials → adapters → use cases → Teams app → HTTP server. No listen(). */
export function composeOnboard(config: Config, logger: Logger): Onboard {
  const credential = config.identity.clientId ? createCredential(config) : undefined;
  const probes: HealthProbe[] = [];
  if (config.tables.connectionString || config.tables.endpoint) probes.push(tableStorageProbe(createTableClientFactory(config.tables, credential)));

  const inflight = new InflightTracker();
  const adapter = createTeamsAdapter(config.bot);
  const app = createTeamsApplication(adapter, { logger, routes: { topics: helpTopics } });
  const { server } = createHttpServer({
    logger,
    bot: createBotEndpoint(adapter, app),
    health: { version: packageVersion, profile: config.profile, probes },
    https: config.http.publicUrl.startsWith('https:'),
    inflight,
  });
  return {
    server,
    app,
    inflight,
    async close() {
      const drained = await inflight.idle(config.http.shutdownGraceMs);
      if (!drained) logger.warn({ inflight: inflight.size }, 'shutdown grace period ended with work in flight');
    },
  };
}
