import type { SweepExpiredLinks, SweepResult } from './sweepExpiredLinks';

interface Log {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** Runs the link sweep on an unref'd timer; every instance runs one (the sweep is safe to run concurrently). */
export class SecretLinkSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<SweepResult | undefined>;

  constructor(private readonly sweep: SweepExpiredLinks, private readonly log: Log, private readonly intervalMs = 5 * 60_000) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** One sweep; one already under way is joined rather than doubled. */
  runOnce(): Promise<SweepResult | undefined> {
    this.running ??= this.sweep.execute().then(
      (result) => {
        if (result.expired + result.cleaned + result.pending > 0) this.log.info({ ...result }, 'secret link sweep');
        return result;
      },
      (error: Error) => {
        this.log.warn({ error: error.name, message: error.message }, 'secret link sweep failed; retrying on the next tick');
        return undefined;
      },
    ).finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
