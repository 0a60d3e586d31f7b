import type { Logger } from '../../logging';
import type { SweepRequests } from './sweepRequests';

/**
 * Runs the sweep on a timer. Every instance runs one; compare-and-set makes that safe, so there is
 * no leader to elect. Timers are unref'd so they never keep a stopping process alive.
 */
export class RequestSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly sweep: SweepRequests, private readonly logger: Logger, private readonly intervalMs = 60_000) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = this.sweep.execute().then(
      (result) => result.expired + result.reminded > 0 && this.logger.info(result, 'request sweep'),
      (error) => this.logger.warn({ err: error }, 'request sweep failed; retrying on the next tick'),
    );
    await this.running;
    this.running = undefined;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
