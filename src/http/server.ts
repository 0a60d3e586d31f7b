import restify, { type Server } from 'restify';
import type { Logger } from '../logging';
import type { BotEndpoint } from '../teams/app';
import { securityHeaders } from './securityHeaders';
import { InflightTracker } from './inflight';
import { healthHandler, type HealthSettings } from './health';

export interface HttpServerDeps {
  logger: Logger;
  bot: BotEndpoint;
  health: HealthSettings;
  https?: boolean;
  inflight?: InflightTracker;
  /** Extra routes (the one-time secret pages) registered by their own module. */
  extraRoutes?: ((server: Server) => void)[];
}

/** Builds the server without listening, so tests can drive it on any port they choose. */
export function createHttpServer(deps: HttpServerDeps): { server: Server; inflight: InflightTracker } {
  const inflight = deps.inflight ?? new InflightTracker();
  const server = restify.createServer({ name: 'onboard', handleUncaughtExceptions: false });
  // Idle connections outlive the client's reuse window (the connector's, a load balancer's, a test's fetch): with
  // Node's default 5 s, a request sent on a socket the server is just closing fails with ECONNRESET under load.
  server.server.keepAliveTimeout = 65_000;
  server.server.headersTimeout = 66_000;
  // pre(), not use(): headers must be on 404s and other unrouted answers too.
  server.pre(securityHeaders({ https: deps.https ?? false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    await inflight.track(deps.bot.process(req, res));
  });
  server.get('/healthz', healthHandler(deps.health));
  for (const register of deps.extraRoutes ?? []) register(server);

  server.on('restifyError', (req, res, error, callback) => {
    if ((error.statusCode ?? 500) >= 500) deps.logger.error({ err: error, path: redactedPath(req.path()) }, 'request failed');
    return callback();
  });
  return { server, inflight };
}

/** A one-time link's path is its bearer token: logs keep the route, never the token. */
export function redactedPath(path: string): string {
  return path.replace(/^\/secrets\/[^/?#]+/, '/secrets/[redacted]');
}
