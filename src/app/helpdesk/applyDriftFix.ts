import { isDriftFixPlan } from '../../domain/driftFix';
import { failProvisioning, finishProvisioning, takeProvisioningLease, type RegistrationRequest } from '../../domain/request';
import { ConcurrencyConflictError } from '../errors';
import type { Clock } from '../ports';
import type { AuditLog, RequestNotifier, RequestStore } from '../workflowPorts';
import type { AppPermissionWriter } from './appPermissionWriter';
import { describeRefusal, type PreWriteGuard } from '../provisioning/preWriteGuard';

export interface ApplyDriftFixDeps {
  requests: RequestStore;
  audit: AuditLog;
  writer: AppPermissionWriter;
  notifier: RequestNotifier;
  clock: Clock;
  owner: string;
  /** The same re-checks as the registration saga's, before any write (docs/security.md). */
  guard: PreWriteGuard;
  leaseMs?: number;
}

export type ApplyOutcome = { kind: 'applied' | 'failed'; request: RegistrationRequest } | { kind: 'skipped'; reason: string };

/**
 * An approved drift fix, applied to the existing app: under the same lease and states as provisioning
 * (Approved → Provisioning → Provisioned), so only one instance applies it. Every write is repeatable.
 */
export class ApplyDriftFix {
  constructor(private readonly deps: ApplyDriftFixDeps) {}

  handles(request: RegistrationRequest): boolean {
    return isDriftFixPlan(request.plan);
  }

  async execute(requestId: string): Promise<ApplyOutcome> {
    const { requests, clock, owner } = this.deps;
    const leaseMs = this.deps.leaseMs ?? 600_000;
    const current = await requests.get(requestId);
    if (!current || !isDriftFixPlan(current.value.plan)) return { kind: 'skipped', reason: 'not a drift fix' };
    const plan = current.value.plan;
    const taken = takeProvisioningLease(current.value, owner, leaseMs, `drift-${requestId}`, clock.now());
    if (!taken.ok) return { kind: 'skipped', reason: taken.refusal.code };
    let saved;
    try {
      saved = await requests.update(taken.request, current.etag);
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) return { kind: 'skipped', reason: 'taken by another instance' };
      throw error;
    }
    const problems = await this.deps.guard.check(saved.value);
    if (problems.length) {
      const message = `${describeRefusal(problems)} Nothing was changed in the directory.`;
      return this.finish(saved, (r) => failProvisioning(r, owner, { message, retryable: false }, clock.now()), 'failed', message, 'drift.fix.refused');
    }
    const done: string[] = [];
    try {
      for (const p of plan.permissions) done.push(`${p.name} (${p.type}): ${await this.deps.writer.grant(plan.target.servicePrincipalId, p)}`);
      for (const p of plan.remove) done.push(`${p.name} (${p.type}): ${await this.deps.writer.revoke(plan.target.servicePrincipalId, p)}`);
    } catch (error) {
      const message = `Fixing drift of ${plan.displayName} stopped: ${(error as Error).message}`.slice(0, 300);
      return this.finish(saved, (r) => failProvisioning(r, owner, { message, retryable: true }, clock.now()), 'failed', message);
    }
    return this.finish(saved, (r) => finishProvisioning(r, owner, clock.now()), 'applied', `${plan.displayName} (${plan.target.appId}) now matches ${plan.source}: ${done.join('; ')}.`);
  }

  private async finish(saved: { value: RegistrationRequest; etag: string }, transition: (r: RegistrationRequest) => ReturnType<typeof finishProvisioning>, kind: 'applied' | 'failed', message: string, action?: string): Promise<ApplyOutcome> {
    const moved = transition(saved.value);
    if (!moved.ok) return { kind: 'skipped', reason: moved.refusal.code };
    const stored = await this.deps.requests.update(moved.request as RegistrationRequest, saved.etag);
    await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action: action ?? (kind === 'applied' ? 'drift.fixed' : 'drift.fix.failed'), outcome: action ? 'refused' : kind === 'applied' ? 'ok' : 'failed', requestId: saved.value.id, correlationId: `drift-${saved.value.id}`, detail: message.slice(0, 1_000) });
    await this.deps.notifier.changed(stored.value, message);
    return { kind, request: stored.value };
  }
}
