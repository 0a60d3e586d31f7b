import { RestError, type TableClient, type TableEntity } from '@azure/data-tables';
import { AlreadyExistsError, ConcurrencyConflictError } from '../../app/errors';
import type { Versioned } from '../../app/ports';

/** Table Storage caps a string property at 64 KiB (32K UTF-16 chars); documents are split below that. */
const CHUNK = 30_000;
const MAX_CHUNKS = 30;

type Columns = Record<string, string | number | boolean | Date | undefined>;

export interface TableDocumentStoreOptions<T> {
  /** Used in error messages, e.g. "request". */
  entity: string;
  /** Extra top-level columns, so that queries can filter without reading documents. */
  columns?: (document: T) => Columns;
}

/**
 * JSON documents in one table, each updated by compare-and-set on its ETag.
 * A lost race surfaces as ConcurrencyConflictError, never as a silent overwrite.
 */
export class TableDocumentStore<T> {
  private ready?: Promise<void>;

  constructor(private readonly client: TableClient, private readonly options: TableDocumentStoreOptions<T>) {}

  get tableName(): string {
    return this.client.tableName;
  }

  /** Creates the table on first use; creating an existing table is a no-op in the SDK. */
  ensureTable(): Promise<void> {
    this.ready ??= this.client.createTable().catch((error) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async get(partitionKey: string, rowKey: string): Promise<Versioned<T> | undefined> {
    await this.ensureTable();
    try {
      const entity = await this.client.getEntity<TableEntity>(partitionKey, rowKey);
      return this.toVersioned(entity as TableEntity & { etag: string });
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }

  async create(partitionKey: string, rowKey: string, document: T): Promise<Versioned<T>> {
    await this.ensureTable();
    try {
      const result = await this.client.createEntity(this.toEntity(partitionKey, rowKey, document));
      return { value: document, etag: result.etag! };
    } catch (error) {
      if (status(error) === 409) throw new AlreadyExistsError(this.options.entity, `${partitionKey}/${rowKey}`);
      throw error;
    }
  }

  /** Replaces the document only if it still carries `etag`. */
  async replace(partitionKey: string, rowKey: string, document: T, etag: string): Promise<Versioned<T>> {
    await this.ensureTable();
    try {
      const result = await this.client.updateEntity(this.toEntity(partitionKey, rowKey, document), 'Replace', { etag });
      return { value: document, etag: result.etag! };
    } catch (error) {
      if (status(error) === 412 || status(error) === 404) throw new ConcurrencyConflictError(this.options.entity, `${partitionKey}/${rowKey}`);
      throw error;
    }
  }

  async delete(partitionKey: string, rowKey: string, etag = '*'): Promise<void> {
    await this.ensureTable();
    try {
      await this.client.deleteEntity(partitionKey, rowKey, { etag });
    } catch (error) {
      if (status(error) === 404) return;
      if (status(error) === 412) throw new ConcurrencyConflictError(this.options.entity, `${partitionKey}/${rowKey}`);
      throw error;
    }
  }

  /**
   * Documents matching an OData filter over the keys and extra columns, in key order. With `skipUnreadable`, a row
   * whose document is not JSON is passed over instead of ending the query (for tables other writers share).
   */
  async *query(filter?: string, options: { skipUnreadable?: boolean } = {}): AsyncIterable<Versioned<T>> {
    await this.ensureTable();
    for await (const entity of this.client.listEntities<TableEntity>({ queryOptions: filter ? { filter } : undefined })) {
      let row: Versioned<T>;
      try {
        row = this.toVersioned(entity as TableEntity & { etag: string });
      } catch (error) {
        if (options.skipUnreadable && error instanceof SyntaxError) continue;
        throw error;
      }
      yield row;
    }
  }

  private toEntity(partitionKey: string, rowKey: string, document: T): TableEntity {
    const json = JSON.stringify(document);
    const chunks = Math.max(1, Math.ceil(json.length / CHUNK));
    if (chunks > MAX_CHUNKS) throw new Error(`${this.options.entity} ${partitionKey}/${rowKey} is too large to store`);
    const entity: TableEntity<Columns> = { partitionKey, rowKey, chunks };
    for (let i = 0; i < chunks; i++) entity[`d${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
    for (const [key, value] of Object.entries(this.options.columns?.(document) ?? {})) if (value !== undefined) entity[key] = value;
    return entity;
  }

  private toVersioned(entity: TableEntity & { etag: string }): Versioned<T> {
    const record = entity as unknown as Record<string, unknown>;
    let json = '';
    for (let i = 0; i < Number(record.chunks ?? 1); i++) json += String(record[`d${i}`] ?? '');
    return { value: JSON.parse(json) as T, etag: entity.etag };
  }
}

function status(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : (error as { statusCode?: number })?.statusCode;
}

/** Builds an OData string literal, escaping quotes, so user text can never change a filter's meaning. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
