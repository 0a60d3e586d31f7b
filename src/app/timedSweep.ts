import type { Logger } from '../logging';

export interface TimedSweepOptions<R> {
  /** How the log names it: "outbox sweep", "review sweep" … */
  name: string;
  work: () => Promise<R>;
  /** A sweep that did something is logged; one that found nothing is not. */
  didSomething: (result: R) => boolean;
  logger: Pick<Logger, 'info' | 'warn'>;
  intervalMs: number;
}

/**
 * A sweep on a timer, in every instance: the work itself is safe to run in several at once (compare-and-set on the
 * rows it changes), so there is no leader to elect. One sweep at a time per instance: `runOnce` during a sweep waits
 * for it. A failed sweep is logged and tried again on the next tick. The timer is unref'd, so it never keeps a
 * stopping process alive.
 */
export class TimedSweep<R> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly options: TimedSweepOptions<R>) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  runOnce(): Promise<void> {
    const { work, didSomething, logger, name } = this.options;
    this.running ??= work()
      .then(
        (result) => void (didSomething(result) && logger.info(result as object, name)),
        (error) => logger.warn({ err: error }, `${name} failed; retrying on the next tick`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
