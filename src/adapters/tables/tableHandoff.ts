import { randomBytes } from 'node:crypto';
import { RestError, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Box, Notice, Order, Signal } from '../../app/handoff/handoffPorts';
import type { TableClientFactory } from './tableClients';

const person = z.object({ id: z.string().min(1), name: z.string() });
const requestId = z.string().min(1).max(64);

/** The notices and orders as Onboard writes them, parsed once here: the box hands on only what fits. */
export const noticeSchema: z.ZodType<Notice> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('changed'), requestId, message: z.string().max(4_000) }),
  z.object({ kind: z.literal('finished'), requestId }),
  z.object({ kind: z.literal('submitted'), requestId }),
  z.object({ kind: z.literal('linkExpired'), notice: z.object({ requestId, appId: z.string(), appObjectId: z.string().optional(), keyId: z.string(), recipient: person, appName: z.string(), expiredAt: z.string() }) }),
  z.object({ kind: z.literal('oldSecretRemoved'), notice: z.object({ requestId, requester: person, appName: z.string(), appId: z.string(), keyIds: z.array(z.string()), confirmed: z.boolean() }) }),
]);

export const orderSchema: z.ZodType<Order> = z.object({ kind: z.literal('removePassword'), appObjectId: z.string().min(1), keyId: z.string().min(1) });

const ensured = new WeakMap<TableClient, Promise<unknown>>();
function ready(client: TableClient): Promise<unknown> {
  let p = ensured.get(client);
  if (!p) {
    p = client.createTable().catch((error) => {
      ensured.delete(client);
      throw error;
    });
    ensured.set(client, p);
  }
  return p;
}

const status = (error: unknown) => (error instanceof RestError ? error.statusCode : (error as { statusCode?: number })?.statusCode);

/** A wake-up signal as one row: a poke rewrites it, so its ETag changes; a watcher reads it with one point read. */
export class TableSignal implements Signal {
  private readonly client: TableClient;

  constructor(tables: TableClientFactory, private readonly name: 'worker' | 'bot') {
    this.client = tables('signals');
  }

  async poke(): Promise<void> {
    await ready(this.client);
    await this.client.upsertEntity({ partitionKey: 'signal', rowKey: this.name, nonce: randomBytes(6).toString('hex') }, 'Replace');
  }

  async version(): Promise<string | undefined> {
    await ready(this.client);
    try {
      return (await this.client.getEntity('signal', this.name, { queryOptions: { select: ['nonce'] } })).etag;
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }
}

/**
 * The worker's notices for the bot, one row each, keyed by time so they are read in order. Taking a notice
 * deletes it with its ETag first: of two bot instances, only the one whose delete succeeds says it. A row that does
 * not fit the schema was not written by Onboard: it is taken and dropped, never acted on.
 */
export class TableNoticeBox<T> implements Box<T> {
  private readonly client: TableClient;
  private sequence = 0;

  /** `notices` (worker → bot) or `orders` (the bot's requests of the worker). */
  constructor(tables: TableClientFactory, table: 'notices' | 'orders', private readonly schema: z.ZodType<T>) {
    this.client = tables(table);
  }

  /** Rows taken and dropped because they did not fit the schema. */
  rejected = 0;

  async post(notice: T): Promise<void> {
    await ready(this.client);
    const rowKey = `${Date.now().toString().padStart(15, '0')}-${(this.sequence++ % 1e6).toString().padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
    await this.client.createEntity({ partitionKey: 'notice', rowKey, body: JSON.stringify(notice) });
  }

  async take(limit: number): Promise<T[]> {
    await ready(this.client);
    const rows: { rowKey: string; etag: string; body: string }[] = [];
    const pages = this.client.listEntities<{ body: string }>({ queryOptions: { filter: `PartitionKey eq 'notice'` } }).byPage({ maxPageSize: limit });
    for await (const page of pages) {
      for (const e of page) rows.push({ rowKey: e.rowKey!, etag: e.etag, body: e.body });
      break;
    }
    const taken: T[] = [];
    for (const row of rows.slice(0, limit)) {
      try {
        await this.client.deleteEntity('notice', row.rowKey, { etag: row.etag });
      } catch (error) {
        if (status(error) === 404 || status(error) === 412) continue;
        throw error;
      }
      const parsed = this.schema.safeParse(safeJson(row.body));
      if (parsed.success) taken.push(parsed.data);
      else this.rejected++;
    }
    return taken;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
