import type { Core } from '../core';
import { GraphError } from '../errors';
import type { LocalRequest, Reply } from '../http';
import { newRequestId } from '../ids';
import { faultError } from './errorReply';

/**
 * JSON batching (learn.microsoft.com/graph/json-batching): at most 20 requests; a request whose `dependsOn`
 * names a request that failed is not run and gets 424. Sub-requests go through the same pipeline as direct
 * calls (authorization, body checks, faults, contract checks), with the batch's own Authorization header.
 */
const MAX_REQUESTS = 20;

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const bad = (message: string) => new GraphError(400, 'BadRequest', message);

function parse(req: LocalRequest): SubRequest[] {
  let payload: unknown;
  try {
    payload = JSON.parse(req.bodyText);
  } catch {
    throw bad('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
  const requests = (payload as { requests?: unknown })?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw bad('Invalid batch payload format: a non-empty "requests" array is required.');
  if (requests.length > MAX_REQUESTS) throw bad(`The batch contains ${requests.length} requests; a batch can contain at most ${MAX_REQUESTS}.`);
  const seen = new Set<string>();
  for (const r of requests as SubRequest[]) {
    if (!r || typeof r !== 'object' || typeof r.id !== 'string' || r.id === '' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw bad('Invalid batch payload format: every request needs string "id", "method" and "url".');
    }
    if (seen.has(r.id)) throw bad(`Request Id '${r.id}' must be unique in a batch.`);
    seen.add(r.id);
    if (r.dependsOn !== undefined && (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string'))) throw bad(`Request '${r.id}': "dependsOn" must be an array of request ids.`);
    if (r.headers !== undefined && (typeof r.headers !== 'object' || Array.isArray(r.headers))) throw bad(`Request '${r.id}': "headers" must be an object.`);
    // "If a body is included with the request, the headers object must contain a value for Content-Type."
    // (https://learn.microsoft.com/graph/json-batching#request-format)
    if (r.body !== undefined && !Object.keys(r.headers ?? {}).some((k) => k.toLowerCase() === 'content-type')) {
      throw bad(`Request '${r.id}': a request with a body needs a Content-Type header.`);
    }
  }
  for (const r of requests as SubRequest[]) {
    for (const d of r.dependsOn ?? []) if (!seen.has(d) || d === r.id) throw bad(`Request '${r.id}' depends on '${d}', which is not another request in this batch.`);
  }
  return requests as SubRequest[];
}

/** Runs each request after the ones it depends on, in the order given otherwise. */
function executionOrder(requests: SubRequest[]): SubRequest[] {
  const byId = new Map(requests.map((r) => [r.id, r]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: SubRequest[] = [];
  const visit = (r: SubRequest) => {
    if (done.has(r.id)) return;
    if (visiting.has(r.id)) throw bad(`The dependsOn chain that includes request '${r.id}' is circular.`);
    visiting.add(r.id);
    for (const d of r.dependsOn ?? []) visit(byId.get(d) as SubRequest);
    visiting.delete(r.id);
    done.add(r.id);
    order.push(r);
  };
  requests.forEach(visit);
  return order;
}

function subRequest(outer: LocalRequest, r: SubRequest): LocalRequest {
  // Relative to the version; the Graph JS client's BatchRequestContent sends `/v1.0/…`, which Graph also accepts.
  const relative = (r.url.startsWith('http') ? new URL(r.url).pathname + new URL(r.url).search : r.url).replace(/^\/?v1\.0(?=[/?]|$)/i, '');
  const url = new URL(`/v1.0/${relative.replace(/^\//, '')}`, 'https://batch.invalid');
  let path = url.pathname;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    // Left as sent; routing reports the unknown segment.
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (outer.headers.authorization) headers.authorization = outer.headers.authorization;
  const bodyText = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  return { method: r.method.toUpperCase(), path, query: url.searchParams, headers, bodyText, origin: outer.origin, requestId: newRequestId(), batch: true };
}

function toSubResponse(id: string, reply: Reply): SubResponse {
  // The Graph JS client reads sub-response headers case-sensitively: it must be exactly `Content-Type`.
  const headers: Record<string, string> = {};
  for (const name of ['Location', 'Retry-After', 'Content-Type']) {
    const value = reply.headers?.[name];
    if (value) headers[name] = value;
  }
  if (reply.json !== undefined) headers['Content-Type'] = reply.contentType ?? 'application/json';
  if (reply.text !== undefined) headers['Content-Type'] = reply.contentType ?? 'text/plain';
  return { id, status: reply.status, headers, ...(reply.json !== undefined ? { body: reply.json } : reply.text !== undefined ? { body: reply.text } : {}) };
}

export async function handleBatch(core: Core, req: LocalRequest, run: (sub: LocalRequest) => Promise<Reply>): Promise<Reply> {
  const requests = parse(req);
  const results = new Map<string, SubResponse>();
  for (const r of executionOrder(requests)) {
    const failed = (r.dependsOn ?? []).find((d) => (results.get(d)?.status ?? 500) >= 400);
    if (failed) {
      results.set(r.id, { id: r.id, status: 424, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'FailedDependency', message: `The request depends on request '${failed}', which failed, so it was not run.` } } });
      continue;
    }
    const sub = subRequest(req, r);
    const fault = await core.faults.before(sub.method, sub.path);
    const reply = fault ? faultError(fault, sub) : await run(sub);
    results.set(r.id, toSubResponse(r.id, reply));
  }
  return { status: 200, json: { responses: requests.map((r) => results.get(r.id)) } };
}
