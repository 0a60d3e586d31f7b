import {
  AuthenticationHandler, Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions, TelemetryHandler,
  type Context, type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { TokenCredential } from '../identity/credentials';
import { DirectoryError } from '../../app/directoryPort';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** One HTTP request as it went over the wire (each retry counts), for benchmarks and diagnostics. */
export interface GraphCallRecord {
  method: string;
  url: string;
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface GraphClientOptions {
  credential: TokenCredential;
  /** e.g. https://graph.microsoft.com/v1.0, or the local cloud's https://localhost:8443/v1.0 */
  baseUrl?: string;
  /** The SDK's RetryHandler for 429/503/504: it honours Retry-After; `delaySeconds` is its base when none is given. */
  retry?: { delaySeconds?: number; maxRetries?: number };
  observe?: (call: GraphCallRecord) => void;
}

/** Reports every attempt below the RetryHandler, so retried requests are counted once each. */
class ObservingHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly observe: (call: GraphCallRecord) => void) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const startedAt = performance.now();
    try {
      await this.next!.execute(context);
    } finally {
      const request = context.request;
      const url = typeof request === 'string' ? request : request.url;
      const method = (typeof request === 'string' ? context.options?.method : request.method) ?? 'GET';
      this.observe({ method, url, status: context.response?.status ?? -1, startedAt, endedAt: performance.now() });
    }
  }
}

/**
 * The Graph client with Onboard's identity. Any host other than Microsoft's (the local cloud) goes in
 * customHosts, without its port: otherwise the client silently sends no Authorization header.
 */
export function createGraphClient(options: GraphClientOptions): { client: Client; baseUrl: string } {
  const base = new URL(options.baseUrl ?? DEFAULT_GRAPH_BASE_URL);
  const version = base.pathname.replace(/^\/+|\/+$/g, '') || 'v1.0';
  const authProvider = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [GRAPH_SCOPE] });
  const retry = new RetryHandlerOptions(options.retry?.delaySeconds ?? 3, options.retry?.maxRetries ?? 5);
  const chain: Middleware[] = [new AuthenticationHandler(authProvider), new RetryHandler(retry)];
  if (options.observe) chain.push(new ObservingHandler(options.observe));
  chain.push(new TelemetryHandler(), new HTTPMessageHandler());
  const customHosts = base.hostname === 'graph.microsoft.com' ? undefined : new Set([base.hostname]);
  const client = Client.initWithMiddleware({ middleware: chain, baseUrl: base.origin, defaultVersion: version, customHosts });
  return { client, baseUrl: `${base.origin}/${version}` };
}

const AUTH_ERRORS = new Set(['AuthenticationError', 'CredentialUnavailableError', 'AggregateAuthenticationError', 'AuthenticationRequiredError']);

/** Whatever the SDK threw, as the port's DirectoryError: status, Graph's code and message, request id. */
export function toDirectoryError(error: unknown): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const e = error as { statusCode?: number; code?: string | null; message?: string; requestId?: string | null; name?: string };
  const code = e.code ?? undefined;
  if ((code && AUTH_ERRORS.has(code)) || (e.name && AUTH_ERRORS.has(e.name))) {
    return new DirectoryError({ source: 'auth', code, message: `Onboard could not get a token for Microsoft Graph: ${firstLine(e.message)}` });
  }
  if (e.statusCode === undefined || e.statusCode < 0) return new DirectoryError({ source: 'network', code, message: `Microsoft Graph could not be reached: ${firstLine(e.message)}` });
  return new DirectoryError({ source: 'graph', status: e.statusCode, code, message: e.message || `Graph answered ${e.statusCode}`, requestId: e.requestId ?? undefined });
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0].slice(0, 300);
}

/** Runs a Graph call, turning SDK errors into DirectoryError. */
export async function graphCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDirectoryError(error);
  }
}
