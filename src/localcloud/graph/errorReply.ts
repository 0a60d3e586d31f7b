import { GraphError } from '../errors';
import type { LocalRequest, Reply } from '../http';

/** Graph's error body: `{error:{code,message,innerError:{date,request-id,client-request-id}}}`. */
export function graphErrorReply(error: GraphError, req: LocalRequest): Reply {
  const target = (error as GraphError & { target?: string }).target;
  return {
    status: error.status,
    headers: { ...error.headers },
    json: {
      error: {
        code: error.code, message: error.message, ...(target ? { target } : {}),
        innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': req.requestId, 'client-request-id': req.headers['client-request-id'] ?? req.requestId },
      },
    },
  };
}

/** An injected 429 or 503, worded as Graph words them. */
export function faultError(fault: { status: 429 | 503; retryAfterSeconds?: number }, req: LocalRequest): Reply {
  const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
  const error = fault.status === 429
    ? new GraphError(429, 'TooManyRequests', 'Too many requests. Please retry after the time given in the Retry-After header.', headers)
    : new GraphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please try again later.', headers);
  return graphErrorReply(error, req);
}
