interface Log {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** One duty of the sweeper: a name for the log, and a run that says what it did. */
export interface SweepJob {
  name: string;
  run(): Promise<object | number>;
}

const busy = (result: object | number) => (typeof result === 'number' ? result > 0 : Object.values(result).some((v) => typeof v === 'number' && v > 0));

/**
 * The handover's timer, on every instance (each job is safe to run concurrently): expired links withdrawn,
 * handovers owed after a crash sent, and rotations whose grace period ended finished. Unref'd.
 */
export class SecretLinkSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly jobs: SweepJob[], private readonly log: Log, private readonly intervalMs = 5 * 60_000) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** One pass of every job; one already under way is joined rather than doubled. A failing job does not stop the others. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      for (const job of this.jobs) {
        try {
          const result = await job.run();
          if (busy(result)) this.log.info({ job: job.name, result }, 'secret handover sweep');
        } catch (error) {
          this.log.warn({ job: job.name, error: (error as Error)?.name, status: (error as { status?: number })?.status }, 'secret handover sweep failed; retrying on the next tick');
        }
      }
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
