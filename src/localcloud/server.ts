import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin';
import type { Core } from './core';
import { entraErrorReply, handleEntra, isEntraPath } from './entra';
import { EntraError, VaultError } from './errors';
import { faultError } from './graph/errorReply';
import { handleGraph, isGraphPath } from './graph/index';
import { BodyTooLarge, readRequest, writeReply, type LocalRequest, type Reply } from './http';
import { handleVault, isVaultPath, vaultErrorReply } from './keyvault';
import { decodeJwt } from './jwt';
import { renderPage } from './page';

/** Sends each request to its service, after any fault the rules inject for its route. */
export async function dispatch(core: Core, req: LocalRequest): Promise<Reply> {
  if (req.path.startsWith('/_localcloud/')) return handleAdmin(core, req);
  if (req.path === '/' && (req.method === 'GET' || req.method === 'HEAD')) return renderPage(core);
  const graph = isGraphPath(req.path);
  const vault = !graph && isVaultPath(req.path);
  const entra = !graph && !vault && isEntraPath(req.path);
  if (!graph && !vault && !entra) return { status: 404, json: { error: { code: 'NotFound', message: `The local cloud has no endpoint at ${req.method} ${req.path}.` } } };
  if (graph || vault) countRequest(core, req);
  const fault = await core.faults.before(req.method, req.path);
  if (fault) {
    const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
    if (graph) return faultError(fault, req);
    if (vault) return vaultErrorReply(new VaultError(fault.status, fault.status === 429 ? 'Throttled' : 'ServiceUnavailable', fault.status === 429 ? 'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached' : 'The service is temporarily unavailable.', undefined, headers), req);
    const reply = entraErrorReply(new EntraError(fault.status, 'temporarily_unavailable', fault.status === 429 ? 50196 : 90033, fault.status === 429 ? 'The server terminated an operation because it encountered a client request loop.' : 'A transient error has occurred. Please try again.'), req);
    reply.headers = { ...reply.headers, ...headers };
    return reply;
  }
  if (graph) return handleGraph(core, req);
  if (vault) return handleVault(core, req);
  return handleEntra(core, req);
}

/** Who sent it, from the (unverified) token: a refused token is counted too, since trying is what a test looks for. */
function countRequest(core: Core, req: LocalRequest): void {
  const token = /^Bearer\s+(\S+)$/i.exec((req.headers.authorization ?? '').trim())?.[1];
  const claims = token ? decodeJwt(token)?.claims : undefined;
  const clientId = String(claims?.appid ?? claims?.azp ?? 'anonymous');
  const list = core.requestsByClient.get(clientId) ?? [];
  list.push({ method: req.method, path: req.path });
  core.requestsByClient.set(clientId, list);
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startServer(core: Core, options: { port: number; certPem: string; keyPem: string }): Promise<RunningServer> {
  const server = createServer({ cert: options.certPem, key: options.keyPem }, (req, res) => {
    void (async () => {
      let method = req.method ?? 'GET';
      try {
        const local = await readRequest(req);
        method = local.method;
        writeReply(res, await dispatch(core, local), method);
      } catch (error) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const tooLarge = error instanceof BodyTooLarge;
        const message = tooLarge ? 'The request body is larger than 4 MB.' : `The local cloud failed: ${error instanceof Error ? error.message : String(error)}`;
        writeReply(res, { status: tooLarge ? 413 : 500, json: { error: { code: tooLarge ? 'RequestEntityTooLarge' : 'generalException', message } } }, method);
      }
    })();
  });
  // A server must keep an idle connection longer than its clients reuse it, or a request sent on a socket the
  // server is just closing fails with ECONNRESET (Node's fetch reuses for the server's hint minus a second).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
