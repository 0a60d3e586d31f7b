import { checkBody, describeErrors } from '../contracts/contracts';
import type { Core } from '../core';
import { GraphError } from '../errors';
import { httpDate, type LocalRequest, type Reply } from '../http';
import { applicationRoutes } from './applications';
import { handleBatch } from './batch';
import { graphErrorReply } from './errorReply';
import { authenticate, type GraphRoute } from './context';
import { deletedItemRoutes } from './deletedItems';
import { directoryRoutes } from './directory';
import { grantRoutes } from './grants';
import { requestError } from './requestErrors';
import { servicePrincipalRoutes } from './servicePrincipals';

/** Microsoft Graph v1.0, the subset Onboard uses: authentication, routing, body checks, errors in Graph's shape. */
const ROUTES: GraphRoute[] = [...applicationRoutes, ...servicePrincipalRoutes, ...grantRoutes, ...directoryRoutes, ...deletedItemRoutes];
export const GRAPH_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export const isGraphPath = (path: string): boolean => /^\/v1\.0(\/|$)/i.test(path);

function resourceOf(operation: string): string {
  if (operation.includes('appRoleAssign')) return 'AppRoleAssignment';
  if (operation.startsWith('/oauth2PermissionGrants')) return 'OAuth2PermissionGrant';
  if (operation.startsWith('/servicePrincipals')) return 'ServicePrincipal';
  if (operation.startsWith('/organization')) return 'Organization';
  return 'Application';
}

function match(path: string, method: string): { route: GraphRoute; params: Record<string, string> } {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method === method) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = v;
      return { route, params };
    }
  }
  if (/^\/me(\/|$)/i.test(path)) throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  if (pathMatched) throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed for the request target '/v1.0${path}'.`);
  const segment = path.split('/').filter(Boolean).find((_s, i, all) => i === all.length - 1) ?? path;
  throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

function decorate(reply: Reply, req: LocalRequest): Reply {
  reply.headers = {
    ...reply.headers,
    'request-id': req.requestId,
    'client-request-id': req.headers['client-request-id'] ?? req.requestId,
    'x-ms-ags-diagnostic': '{"ServerInfo":{"DataCenter":"Local","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"localcloud"}}',
    'Cache-Control': 'no-cache',
    Date: httpDate(),
  };
  if (reply.json !== undefined) reply.contentType = GRAPH_CONTENT_TYPE;
  return reply;
}

async function run(core: Core, req: LocalRequest, path: string): Promise<{ reply: Reply; operation?: string }> {
  if (/^\/\$batch$/i.test(path)) {
    if (req.batch) throw new GraphError(400, 'BadRequest', 'A $batch request cannot contain another $batch request.');
    if (req.method !== 'POST') throw new GraphError(405, 'Request_BadRequest', 'The HTTP method is not allowed for $batch; use POST.');
    authenticate(core, req);
    return { reply: await handleBatch(core, req, (sub) => handleGraph(core, sub)) };
  }
  const caller = authenticate(core, req);
  const { route, params } = match(path, req.method);
  let body: unknown;
  if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT') {
    try {
      body = req.bodyText.trim() === '' ? undefined : JSON.parse(req.bodyText);
    } catch {
      throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
    }
    if (route.operation) {
      const errors = checkBody({ service: 'graph', path: route.operation, method: req.method }, 'request', 0, body);
      if (errors.length > 0) {
        if (core.contracts === 'enforce') core.violations.push({ service: 'graph', direction: 'request', method: req.method, url: req.path, operation: route.operation, errors: describeErrors(errors) });
        const action = /\.(\w+)$/.exec(route.operation)?.[1];
        throw requestError(errors, action, resourceOf(route.operation));
      }
    }
  }
  const reply = await route.handler({ core, req, caller, params, body, path });
  return { reply, operation: route.operation };
}

export async function handleGraph(core: Core, req: LocalRequest): Promise<Reply> {
  const path = req.path.replace(/^\/v1\.0/i, '') || '/';
  let reply: Reply;
  let operation: string | undefined;
  try {
    ({ reply, operation } = await run(core, req, path));
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    reply = graphErrorReply(error, req);
    try {
      operation = match(path, req.method).route.operation;
    } catch {
      operation = undefined;
    }
  }
  if (core.contracts === 'enforce' && operation && reply.json !== undefined) {
    const errors = checkBody({ service: 'graph', path: operation, method: req.method }, 'response', reply.status, reply.json);
    if (errors.length > 0) {
      const violation = { service: 'graph' as const, direction: 'response' as const, method: req.method, url: req.path, operation, status: reply.status, errors: describeErrors(errors) };
      core.violations.push(violation);
      reply = graphErrorReply(new GraphError(500, 'ContractViolation', `The local cloud's response broke the Graph contract: ${violation.errors.join('; ')}`), req);
    }
  }
  return decorate(reply, req);
}
