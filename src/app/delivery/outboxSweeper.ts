import type { Logger } from '../../logging';
import type { DeliverOutbox } from './deliverOutbox';

/**
 * Sends outbox leftovers on a timer: rows due for a retry, and rows a crashed instance had queued or claimed.
 * Every instance runs one; claims by compare-and-set keep them from sending a row twice.
 */
export class OutboxSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly delivery: DeliverOutbox, private readonly logger: Logger, private readonly intervalMs = 5_000) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    if (this.running) return void (await this.running);
    this.running = this.delivery.run().then(
      (result) => result.sent + result.unreachable + result.retrying > 0 && this.logger.info(result, 'outbox sweep'),
      (error) => this.logger.warn({ err: error }, 'outbox sweep failed; retrying on the next tick'),
    );
    await this.running;
    this.running = undefined;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
