import { createServer, type Server } from 'node:http';

/**
 * The worker has no endpoint. On App Service, though, a Linux app that never answers on PORT is restarted as
 * failed to start; this answers the platform's start probe (GET /, empty 200) and nothing else. Inbound traffic to
 * the worker app is denied at App Service's front end (infra: access restrictions, default Deny), so only the
 * platform itself reaches it. Off everywhere else (locally, and in tests).
 */
export function startLiveness(env: NodeJS.ProcessEnv): Server | undefined {
  if (!env.WEBSITE_SITE_NAME || !env.PORT) return undefined;
  const server = createServer((req, res) => {
    res.writeHead(req.method === 'GET' && req.url === '/' ? 200 : 404, { 'Content-Length': '0' });
    res.end();
  });
  server.listen(Number(env.PORT));
  server.unref();
  return server;
}
