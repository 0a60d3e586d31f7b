import { z } from 'zod';
import { MAX_NOTICE_CHARS, type Delivery } from '../../domain/delivery';
import type { Outbox } from '../../app/delivery/outbox';
import type { Versioned } from '../../app/ports';
import { AlreadyExistsError } from '../../app/errors';
import { TableDocumentStore, odataString } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

const recipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fanout') }),
  z.object({ kind: z.literal('channel') }),
  z.object({ kind: z.literal('requester') }),
  z.object({ kind: z.literal('person'), userId: z.string().min(1), name: z.string() }),
]);

/** Stored rows are parsed once here: a row that does not fit is never guessed at (see `collect`). */
const deliverySchema = z.object({
  requestId: z.string().min(1),
  key: z.string().min(1),
  kind: z.enum(['approval', 'reminder', 'notice', 'review', 'review-escalation']),
  recipient: recipientSchema,
  status: z.enum(['pending', 'sending', 'sent', 'unreachable', 'skipped', 'failed']),
  attempts: z.number().int().min(0),
  dueAt: z.string().datetime(),
  createdAt: z.string().datetime(),
  lastError: z.string().optional(),
  text: z.string().max(MAX_NOTICE_CHARS).optional(),
  reviewStageAt: z.string().datetime().optional(),
});

/** Row keys may not hold / \ # ? (Table Storage refuses them). */
const rowKey = (key: string) => key.replace(/[\\/#?]/g, '_');

/**
 * The outbox: one partition per request, one row per recipient and message. Status and due time are columns,
 * so the sweeper asks the table for what is due instead of reading every row.
 */
export class TableOutbox implements Outbox {
  private readonly documents: TableDocumentStore<Delivery>;

  constructor(tables: TableClientFactory) {
    this.documents = new TableDocumentStore(tables('outbox'), { entity: 'outbox row', columns: (d) => ({ status: d.status, dueAt: d.dueAt }) });
  }

  async enqueue(rows: Delivery[]): Promise<void> {
    await Promise.all(
      rows.map((row) =>
        this.documents.create(row.requestId, rowKey(row.key), deliverySchema.parse(row)).catch((error) => {
          if (!(error instanceof AlreadyExistsError)) throw error;
        }),
      ),
    );
  }

  async forRequest(requestId: string): Promise<Versioned<Delivery>[]> {
    return this.collect(`PartitionKey eq ${odataString(requestId)}`);
  }

  async due(now: Date, limit: number): Promise<Versioned<Delivery>[]> {
    const rows = await this.collect(`(status eq 'pending' or status eq 'sending') and dueAt le ${odataString(now.toISOString())}`, limit);
    return rows.sort((a, b) => a.value.dueAt.localeCompare(b.value.dueAt));
  }

  update(row: Delivery, etag: string): Promise<Versioned<Delivery>> {
    return this.documents.replace(row.requestId, rowKey(row.key), deliverySchema.parse(row), etag);
  }

  /**
   * Rows that fit the schema. One that does not (a kind a newer Onboard sends during a rolling upgrade, or a row
   * written straight to the table) is left where it is, never acted on, and never stops the rows around it.
   */
  private async collect(filter: string, limit = Infinity): Promise<Versioned<Delivery>[]> {
    const found: Versioned<Delivery>[] = [];
    for await (const r of this.documents.query(filter, { skipUnreadable: true })) {
      const parsed = deliverySchema.safeParse(r.value);
      if (!parsed.success) continue;
      found.push({ value: parsed.data, etag: r.etag });
      if (found.length >= limit) break;
    }
    return found;
  }
}
