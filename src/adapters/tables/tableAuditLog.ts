import { randomBytes } from 'node:crypto';
import { AlreadyExistsError } from '../../app/errors';
import type { AuditEvent, AuditLog } from '../../app/workflowPorts';
import { TableDocumentStore, odataString } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

/**
 * Append-only audit events. Partitioned by request (or "tenant" for events without one) so that
 * `audit <request>` is one partition read; row keys sort by time and never collide.
 */
export class TableAuditLog implements AuditLog {
  private readonly documents: TableDocumentStore<AuditEvent>;

  constructor(tables: TableClientFactory) {
    this.documents = new TableDocumentStore(tables('audit'), { entity: 'audit event', columns: (e) => ({ at: e.at, action: e.action, outcome: e.outcome }) });
  }

  async append(event: AuditEvent): Promise<void> {
    await this.documents.create(event.requestId ?? 'tenant', `${event.at}-${randomBytes(4).toString('hex')}`, event);
  }

  async appendOnce(event: AuditEvent, key: string): Promise<void> {
    try {
      await this.documents.create(event.requestId ?? 'tenant', `once-${key}`, event);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }

  async forRequest(requestId: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    for await (const e of this.documents.query(`PartitionKey eq ${odataString(requestId)}`)) events.push(e.value);
    return events;
  }

  async *since(from: Date): AsyncIterable<AuditEvent> {
    const events: AuditEvent[] = [];
    for await (const e of this.documents.query(`at ge ${odataString(from.toISOString())}`)) events.push(e.value);
    yield* events.sort((a, b) => a.at.localeCompare(b.at));
  }
}
