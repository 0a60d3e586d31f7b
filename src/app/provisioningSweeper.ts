import { needsProvisioning } from '../domain/request';
import type { Clock } from './ports';
import type { WorkHandler, WorkOutcome } from './provisioning/approvedWork';
import type { RequestStore } from './workflowPorts';

interface Log {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

type ProvisionOutcome = WorkOutcome;

/** What runs an approved request, by its plan kind (provisioning/approvedWork.ts). */
export interface ApprovedWork {
  execute: WorkHandler;
}

/**
 * Resumes approved work nobody is running: Approved requests whose start was lost (the process died right
 * after the click) and Provisioning requests whose lease expired (the instance running them died). Each goes
 * through the dispatcher by plan kind (provisioning/approvedWork.ts), as a click does. Every instance runs
 * one; the lease's compare-and-set lets exactly one of them take each request.
 */
export class ProvisioningSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<ProvisionOutcome[]>;

  constructor(
    private readonly deps: { requests: RequestStore; provision: ApprovedWork; clock: Clock; log?: Log; concurrency?: number },
    private readonly intervalMs = 15_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce().catch((error) => this.deps.log?.warn({ err: error }, 'provisioning sweep failed; retrying on the next tick')), this.intervalMs);
    this.timer.unref();
  }

  /** One sweep; a sweep already under way is joined rather than doubled. */
  runOnce(): Promise<ProvisionOutcome[]> {
    this.running ??= this.sweep().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async sweep(): Promise<ProvisionOutcome[]> {
    const now = this.deps.clock.now();
    const due = (await this.deps.requests.listInStates(['Approved', 'Provisioning'])).filter((r) => needsProvisioning(r.value, now));
    const outcomes: ProvisionOutcome[] = [];
    const queue = [...due];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const id = next.value.id;
        outcomes.push(await this.deps.provision.execute({ requestId: id, correlationId: `sweep-${id}-${now.getTime()}` }).catch((error: Error): ProvisionOutcome => {
          this.deps.log?.warn({ err: error, requestId: id }, 'resuming provisioning failed; the next sweep tries again');
          return { kind: 'skipped', reason: error.message };
        }));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.deps.concurrency ?? 4) }, worker));
    const resumed = outcomes.filter((o) => o.kind === 'provisioned' || o.kind === 'applied' || o.kind === 'failed').length;
    if (resumed) this.deps.log?.info({ resumed, due: due.length }, 'provisioning sweep resumed sagas');
    return outcomes;
  }
}
