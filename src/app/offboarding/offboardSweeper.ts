import { isDueForRemoval, isRestorable } from '../../domain/offboardSteps';
import type { RegistrationRequest } from '../../domain/request';
import { owesAnnouncement } from '../../domain/offboardRecord';
import type { Clock } from '../ports';
import type { RequestStore } from '../workflowPorts';
import type { OffboardOutcome, RunOffboarding } from './runOffboarding';

/** Removal due, or a restore ordered (within the grace period, or within Entra's 30 days after removal). */
function wantsWork(request: RegistrationRequest, now: Date): boolean {
  if (request.state === 'Disabled') return !!request.offboarding?.restore || isDueForRemoval(request, now);
  return request.state === 'Offboarded' && !!request.offboarding?.restore && isRestorable(request, now);
}

interface Log {
  warn(object: object, message: string): void;
}

/**
 * Starts offboarding's later steps for Disabled requests: removal once the grace period is over, or sign-in back on
 * once an approver ordered a restore; and announces a finished step a dying worker had not announced yet. A step interrupted mid-way sits in Provisioning with an expired lease, which
 * the provisioning sweeper resumes through the dispatcher like any other work. RunOffboarding takes the lease, so two
 * workers sweeping at once run each request once.
 */
export class OffboardSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<OffboardOutcome[]>;

  constructor(private readonly deps: { requests: RequestStore; run: Pick<RunOffboarding, 'execute'>; clock: Clock; log?: Log }, private readonly intervalMs = 60_000) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce().catch((error) => this.deps.log?.warn({ err: error }, 'offboarding sweep failed; retrying on the next tick')), this.intervalMs);
    this.timer.unref();
  }

  runOnce(): Promise<OffboardOutcome[]> {
    this.running ??= this.sweep().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async sweep(): Promise<OffboardOutcome[]> {
    const now = this.deps.clock.now();
    // Offboarded and Restored rows are read for a finished step whose announcement a dying worker still owed.
    const rows = await this.deps.requests.listInStates(['Disabled', 'Offboarded', 'Restored']);
    const due = rows.filter((r) => r.value.work?.kind === 'offboard' && (owesAnnouncement(r.value) || wantsWork(r.value, now)));
    const outcomes: OffboardOutcome[] = [];
    for (const r of due) {
      outcomes.push(await this.deps.run.execute(r.value.id).catch((error: Error): OffboardOutcome => {
        this.deps.log?.warn({ err: error, requestId: r.value.id }, 'offboarding step failed to start; the next sweep tries again');
        return { kind: 'skipped', reason: error.message };
      }));
    }
    return outcomes;
  }
}
