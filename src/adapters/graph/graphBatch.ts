import type { Client } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../app/directoryPort';
import { graphCall } from './graphClient';

/** JSON batching (learn.microsoft.com/graph/json-batching): at most 20 requests per batch. */
export const MAX_BATCH = 20;
const THROTTLED = new Set([429, 503, 504]);

export interface BatchItem {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
}

export interface BatchResult {
  status: number;
  body?: unknown;
  /** Set when the sub-request failed. */
  error?: DirectoryError;
}

interface SubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } } } & Record<string, unknown>;
}

export interface BatchOptions {
  /** Rounds for sub-requests that were throttled inside a batch (the RetryHandler only sees the outer 200). */
  throttleRounds?: number;
  /** Wait before a round when Graph gave no Retry-After: doubles each round, up to maxWaitMs. */
  baseWaitMs?: number;
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends independent requests in parallel batches of at most 20. Sub-requests throttled inside a batch
 * are sent again after their Retry-After; every other result, success or failure, is returned in order.
 */
export async function sendBatched(client: Client, items: BatchItem[], options: BatchOptions = {}): Promise<BatchResult[]> {
  const results: (BatchResult | undefined)[] = new Array(items.length);
  let pending = items.map((_item, index) => index);
  const rounds = options.throttleRounds ?? 6;
  for (let round = 0; pending.length > 0; round++) {
    const chunks: number[][] = [];
    for (let i = 0; i < pending.length; i += MAX_BATCH) chunks.push(pending.slice(i, i + MAX_BATCH));
    const answers = await Promise.all(chunks.map((chunk) => sendOne(client, chunk.map((index) => ({ index, item: items[index] })))));
    const throttled: number[] = [];
    let waitMs = 0;
    for (const answer of answers.flat()) {
      if (THROTTLED.has(answer.result.status) && round < rounds) {
        throttled.push(answer.index);
        waitMs = Math.max(waitMs, answer.retryAfterMs ?? (options.baseWaitMs ?? 500) * 2 ** round * (0.5 + Math.random() / 2));
      } else {
        results[answer.index] = answer.result;
      }
    }
    pending = throttled;
    if (pending.length) await (options.sleep ?? defaultSleep)(Math.min(waitMs, options.maxWaitMs ?? 8_000));
  }
  return results as BatchResult[];
}

async function sendOne(client: Client, entries: { index: number; item: BatchItem }[]): Promise<{ index: number; result: BatchResult; retryAfterMs?: number }[]> {
  const requests = entries.map(({ index, item }) => ({
    id: String(index), method: item.method, url: item.url,
    ...(item.body !== undefined ? { body: item.body, headers: { 'Content-Type': 'application/json' } } : {}),
  }));
  const reply = await graphCall(() => client.api('/$batch').post({ requests }) as Promise<{ responses: SubResponse[] }>);
  const byId = new Map(reply.responses.map((r) => [r.id, r]));
  return entries.map(({ index }) => {
    const sub = byId.get(String(index));
    if (!sub) return { index, result: { status: 500, error: new DirectoryError({ status: 500, message: 'The batch response had no answer for a request.' }) } };
    const header = Object.entries(sub.headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
    const retryAfterMs = header !== undefined && Number.isFinite(Number(header)) ? Number(header) * 1000 : undefined;
    if (sub.status < 400) return { index, result: { status: sub.status, body: sub.body } };
    const error = new DirectoryError({
      source: 'graph', status: sub.status, code: sub.body?.error?.code, message: sub.body?.error?.message ?? `Graph answered ${sub.status}`,
      requestId: sub.body?.error?.innerError?.['request-id'],
    });
    return { index, result: { status: sub.status, body: sub.body, error }, retryAfterMs };
  });
}
