import type { Logger } from '../../logging';
import { TimedSweep } from '../timedSweep';
import type { DeliverOutbox } from './deliverOutbox';

/**
 * Sends outbox leftovers on a timer: rows due for a retry, and rows a crashed instance had queued or claimed.
 * Every instance runs one; claims by compare-and-set keep them from sending a row twice.
 */
export class OutboxSweeper extends TimedSweep<Awaited<ReturnType<DeliverOutbox['run']>>> {
  constructor(delivery: DeliverOutbox, logger: Logger, intervalMs = 5_000) {
    super({ name: 'outbox sweep', work: () => delivery.run(), didSomething: (r) => r.sent + r.unreachable + r.retrying > 0, logger, intervalMs });
  }
}
