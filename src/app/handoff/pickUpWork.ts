import { needsProvisioning } from '../../domain/request';
import type { Clock } from '../ports';
import type { RequestStore } from '../workflowPorts';

interface Log {
  warn(object: object, message: string): void;
}

/**
 * The worker's intake: every Approved request nobody runs, and every Provisioning one whose lease lapsed, is
 * started here, at most `concurrency` at once per process. It returns once the work is started, not done, so a
 * wake-up during a long saga starts the next request at once. The leases decide who runs what across processes.
 */
export class PickUpWork {
  private readonly active = new Set<string>();
  private readonly waiting: string[] = [];
  private readonly done = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly deps: { requests: RequestStore; clock: Clock; run: (requestId: string) => Promise<unknown>; concurrency: number; log?: Log }) {}

  async execute(): Promise<number> {
    if (this.stopped) return 0;
    const now = this.deps.clock.now();
    const due = (await this.deps.requests.listInStates(['Approved', 'Provisioning'])).filter((r) => needsProvisioning(r.value, now));
    let started = 0;
    for (const r of due) {
      const id = r.value.id;
      if (this.active.has(id) || this.waiting.includes(id)) continue;
      this.waiting.push(id);
      started++;
    }
    this.pump();
    return started;
  }

  /** Resolves when everything started so far has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.done.size) await Promise.allSettled([...this.done]);
  }

  /**
   * For shutdown: the running sagas finish, those still waiting are left Approved for the next worker, which
   * takes them at once (no lease is held on them). Otherwise a SIGTERM would wait for the whole queue.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    await this.idle();
  }

  get running(): number {
    return this.active.size;
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.deps.concurrency && this.waiting.length) {
      const id = this.waiting.shift()!;
      this.active.add(id);
      const run: Promise<unknown> = this.deps.run(id)
        .catch((error) => this.deps.log?.warn({ err: error, requestId: id }, 'provisioning failed to run; the next sweep tries again'))
        .finally(() => {
          this.active.delete(id);
          this.done.delete(run);
          this.pump();
        });
      this.done.add(run);
    }
  }
}
