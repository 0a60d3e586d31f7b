import type { Logger } from '../../logging';
import type { SweepReviews } from './sweepReviews';

/**
 * Runs the review sweep on a timer in each bot instance (it sends cards, which only the bot can); compare-and-set
 * on the request row makes several instances safe. Unref'd, so it never keeps a stopping process alive.
 */
export class ReviewSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly sweep: SweepReviews, private readonly logger: Logger, private readonly intervalMs = 3_600_000) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    if (this.running) return void (await this.running);
    this.running = this.sweep.execute().then(
      (r) => r.askedRequester + r.askedApprovers + r.proposed > 0 && this.logger.info(r, 'review sweep'),
      (error) => this.logger.warn({ err: error }, 'review sweep failed; retrying on the next tick'),
    );
    await this.running;
    this.running = undefined;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
