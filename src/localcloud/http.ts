import type { IncomingMessage, ServerResponse } from 'node:http';
import { newRequestId } from './ids';

/** One request as the local cloud's services see it; $batch builds these for its sub-requests too. */
export interface LocalRequest {
  method: string;
  /** Path without the query, percent-decoded. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  bodyText: string;
  /** `https://host:port`, from the Host header, so URLs in responses point back at whatever name the client used. */
  origin: string;
  requestId: string;
  /** Set for the sub-requests of a $batch. */
  batch?: boolean;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A non-JSON body (HTML page, $count). */
  text?: string;
  contentType?: string;
}

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export async function readRequest(req: IncomingMessage): Promise<LocalRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  const host = req.headers.host ?? '127.0.0.1';
  const url = new URL(req.url ?? '/', `https://${host}`);
  let path = url.pathname;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    // A malformed escape stays as sent; routing then treats it as an unknown path.
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return { method: (req.method ?? 'GET').toUpperCase(), path, query: url.searchParams, headers, bodyText: Buffer.concat(chunks).toString('utf8'), origin: `https://${host}`, requestId: newRequestId() };
}

export function writeReply(res: ServerResponse, reply: Reply, method: string): void {
  const headers: Record<string, string> = { ...reply.headers };
  let body: string | undefined;
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers['Content-Type'] = reply.contentType ?? 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    body = reply.text;
    headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  }
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  else if (reply.status !== 204 && reply.status !== 304) headers['Content-Length'] = '0';
  res.writeHead(reply.status, headers);
  res.end(method === 'HEAD' ? undefined : body);
}

/** Parses a JSON body; undefined for an empty one, a SyntaxError for a malformed one. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  return JSON.parse(text);
}

export const httpDate = (): string => new Date().toUTCString();
