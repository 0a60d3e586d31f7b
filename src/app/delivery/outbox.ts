import type { Delivery, Recipient, DeliveryKind } from '../../domain/delivery';
import type { RegistrationRequest } from '../../domain/request';
import type { Versioned } from '../ports';

/** Messages waiting to go out, one row per recipient and message, each changed by compare-and-set on its ETag. */
export interface Outbox {
  /** Creates rows that do not exist yet; a row already there (same request and key) is left as it is. */
  enqueue(rows: Delivery[]): Promise<void>;
  forRequest(requestId: string): Promise<Versioned<Delivery>[]>;
  /** Rows that may be taken at `now` (pending and due, or with a lapsed claim), oldest first. */
  due(now: Date, limit: number): Promise<Versioned<Delivery>[]>;
  /** Throws ConcurrencyConflictError when someone else changed the row first. */
  update(row: Delivery, etag: string): Promise<Versioned<Delivery>>;
}

export type SendOutcome = { kind: 'sent' } | { kind: 'unreachable'; reason: string } | { kind: 'retry'; reason: string };

/** The messaging side (Teams): who a message reaches now, sending one, and telling the requester how it went. */
export interface DeliveryChannel {
  /** Everyone `kind` should reach for this request now: the approvals channel, or each approver's personal chat. */
  recipients(request: RegistrationRequest, kind: Exclude<DeliveryKind, 'notice'>): Promise<Exclude<Recipient, { kind: 'fanout' } | { kind: 'requester' }>[]>;
  send(row: Delivery, request: RegistrationRequest): Promise<SendOutcome>;
  /** Every approval row of the request has settled: the requester's card says who has it; `unreachable` names are news to tell. */
  report(request: RegistrationRequest, summaryLine: string, unreachable: string[]): Promise<void>;
}
