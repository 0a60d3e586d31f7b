interface Log {
  warn(object: object, message: string): void;
}

/**
 * Runs `work` when the signal changes (a short poll of one row: one point read per tick) and every
 * `fallbackMs` anyway. A change seen while `work` runs makes it run once more afterwards, so no poke is lost.
 */
export class SignalWatcher {
  private timer?: NodeJS.Timeout;
  private last?: string;
  private lastRun = 0;
  private running?: Promise<void>;
  private next?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly signal: { version(): Promise<string | undefined> },
    private readonly work: () => Promise<unknown>,
    private readonly options: { pollMs: number; fallbackMs: number; log?: Log },
  ) {}

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /**
   * Runs the work now, or, if a run is under way, once more after it (one run however many asked meanwhile),
   * resolving when that run is done: whoever asks after a change sees a run that started after it.
   */
  runOnce(): Promise<void> {
    if (this.running) {
      this.next ??= this.running.then(() => {
        this.next = undefined;
        return this.stopped ? undefined : this.runOnce();
      });
      return this.next;
    }
    this.lastRun = Date.now();
    this.running = this.work()
      .then(() => undefined, (error) => this.options.log?.warn({ err: error }, 'work after a signal failed; the next signal or tick tries again'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.next;
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const version = await this.signal.version();
      if (version !== this.last || Date.now() - this.lastRun >= this.options.fallbackMs) {
        this.last = version;
        void this.runOnce();
      }
    } catch (error) {
      this.options.log?.warn({ err: error }, 'could not read the wake-up signal; trying again');
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.options.pollMs);
    this.timer.unref();
  }
}
