import type { TableClientFactory } from '../adapters/tables/tableClients';
import { TableNoticeBox, TableSignal, noticeSchema, orderSchema } from '../adapters/tables/tableHandoff';
import type { NoticeBox, OrderBox, Signal } from '../app/handoff/handoffPorts';

/** What the bot and the worker share besides the requests: a wake-up signal each way and the worker's notices. */
export interface Handoff {
  /** Poked by the bot after an approval (or a confirmed rotation); watched by the worker. */
  worker: Signal;
  /** Poked by the worker after posting notices; watched by the bot. */
  bot: Signal;
  notices: NoticeBox;
  /** The bot's requests of the worker besides approvals (revoke's password removal). */
  orders: OrderBox;
}

/**
 * How often each side reads its signal row. One point read per tick (≈ 5 a second per process; in Azure that is
 * about 13 million storage transactions a month, well under a dollar). The wake-up adds at most this much to
 * approve → verified; docs/deploy.md › The worker weighs it against a Storage queue.
 */
export const SIGNAL_POLL_MS = 200;
/** The full look even without a signal: covers a lost poke, and leases that lapsed when a process died. */
export const FALLBACK_SWEEP_MS = 15_000;

export function tableHandoff(tables: TableClientFactory): Handoff {
  return { worker: new TableSignal(tables, 'worker'), bot: new TableSignal(tables, 'bot'), notices: new TableNoticeBox(tables, 'notices', noticeSchema), orders: new TableNoticeBox(tables, 'orders', orderSchema) };
}
