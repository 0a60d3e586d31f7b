import type { OffboardPlan } from '../../domain/offboarding';
import { owesAnnouncement, REMOVAL_STEPS, type OffboardEvent, type RemovalStep } from '../../domain/offboardRecord';
import { offboardPhase, recordBroughtBack, recordDisabled, recordOffboarded, recordReEnabled, recordRemoval, recordRestoredAfterRemoval, resumeOffboarding } from '../../domain/offboardSteps';
import type { ProposeRegrant } from './proposeRegrant';
import { failProvisioning, takeProvisioningLease, type ProvisioningTransition, type RegistrationRequest } from '../../domain/request';
import { ConcurrencyConflictError } from '../errors';
import type { Clock, Versioned } from '../ports';
import { describeRefusal, type PreWriteGuard } from '../provisioning/preWriteGuard';
import type { AuditLog, RequestNotifier, RequestStore } from '../workflowPorts';
import type { OffboardDirectory } from './offboardDirectory';

export interface RunOffboardingDeps {
  requests: RequestStore;
  audit: AuditLog;
  directory: OffboardDirectory;
  notifier: RequestNotifier;
  clock: Clock;
  /** Re-checks the approval HMAC, the approvers' membership now, the plan and its target before any write. */
  guard: PreWriteGuard;
  owner: string;
  leaseMs?: number;
  /** After a restore from deleted items: asks the approvers again for the approved plan's permissions. */
  regrant?: Pick<ProposeRegrant, 'execute'>;
  /** Called after each step is recorded: the crash tests kill the process here. */
  checkpoint?: (name: string) => Promise<void>;
}

export type OffboardOutcome = { kind: 'disabled' | 'offboarded' | 're-enabled' | 'failed'; request: RegistrationRequest } | { kind: 'skipped'; reason: string };

class LeaseLost extends Error {}

const when = (iso?: string) => (iso ?? '').slice(0, 10);

/** What people are told when a step is done, from the request's own record. */
function announcement(request: RegistrationRequest, plan: OffboardPlan, event: OffboardEvent): string {
  const app = `${plan.displayName} (${plan.target.appId})`;
  const record = request.offboarding ?? {};
  if (event === 'disabled') return `${app} is disabled: it can no longer sign in. Its grants, credentials and registration will be removed on ${when(record.removeAfter)} unless an approver restores it (type **restore ${plan.displayName}**).`;
  if (event === 're-enabled' && record.verifiedAt) {
    const regrant = record.regrantRequestId ? ` Its approved permissions go through approval again as ${record.regrantRequestId}; it has no secret, so ask for one with **rotate ${plan.displayName}** once they are granted.` : ' It has no permissions and no secret yet.';
    return `${app} is back from deleted items, restored by ${record.restore?.by.name ?? 'an approver'}.${regrant}`;
  }
  if (event === 're-enabled') return `${app} is restored by ${record.restore?.by.name ?? 'an approver'}: it can sign in again, and nothing will be removed.`;
  const removal = record.removal ?? {};
  const counts = `${removal.appRoleAssignments?.removed ?? 0} app role assignment(s), ${removal.delegatedGrants?.removed ?? 0} delegated grant(s), ${removal.passwords?.removed ?? 0} secret(s) and ${removal.certificates?.removed ?? 0} certificate(s)`;
  const deletedAt = Date.parse(removal.application?.at ?? record.verifiedAt ?? request.updatedAt);
  return `${app} is offboarded: ${counts} removed, and the registration deleted. Entra keeps it restorable until ${when(new Date(deletedAt + 30 * 86_400_000).toISOString())}.`;
}

/**
 * The worker's offboarding of one app, as resumable steps recorded on the offboard request, under its lease:
 * step 1 (at once after approval) turns sign-in off and reads it back; step 2 (once the grace period is over,
 * started by OffboardSweeper) removes app role assignments, delegated grants, passwords and certificates, soft-deletes
 * the application and reads back that nothing is left. A restore order within the grace period turns sign-in back on.
 * Every directory write is repeatable, so a step interrupted before its record is simply done again.
 */
export class RunOffboarding {
  constructor(private readonly deps: RunOffboardingDeps) {}

  async execute(requestId: string): Promise<OffboardOutcome> {
    const { requests, clock, owner } = this.deps;
    const leaseMs = this.deps.leaseMs ?? 600_000;
    const current = await requests.get(requestId);
    if (!current || current.value.work?.kind !== 'offboard') return { kind: 'skipped', reason: 'not an offboard request' };
    const plan = current.value.work.body;
    const owed = owesAnnouncement(current.value);
    if (owed) return this.announce(current, plan, owed);
    const taken = current.value.state === 'Disabled' || current.value.state === 'Offboarded'
      ? resumeOffboarding(current.value, owner, leaseMs, clock.now())
      : takeProvisioningLease(current.value, owner, leaseMs, `offboard-${requestId}`, clock.now());
    if (!taken.ok) return { kind: 'skipped', reason: taken.refusal.code };
    let saved: Versioned<RegistrationRequest>;
    try {
      saved = await requests.update(taken.request, current.etag);
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) return { kind: 'skipped', reason: 'taken by another instance' };
      throw error;
    }
    const problems = await this.deps.guard.check(saved.value);
    if (problems.length) {
      const message = `${describeRefusal(problems)} Nothing was changed in the directory.`;
      return this.fail(saved, message, false, 'offboard.refused');
    }
    try {
      const phase = offboardPhase(saved.value);
      if (phase === 'disable') return await this.disable(saved, plan);
      if (phase === 're-enable') return await this.reEnable(saved, plan);
      if (phase === 'bring-back') return await this.bringBack(saved, plan, leaseMs);
      return await this.remove(saved, plan, leaseMs);
    } catch (error) {
      if (error instanceof LeaseLost || error instanceof ConcurrencyConflictError) return { kind: 'skipped', reason: 'lease lost' };
      const latest = (await requests.get(requestId))!;
      return this.fail(latest, `Offboarding ${plan.displayName} stopped: ${(error as Error).message}`.slice(0, 300), true, 'offboard.failed');
    }
  }

  private async disable(saved: Versioned<RegistrationRequest>, plan: OffboardPlan): Promise<OffboardOutcome> {
    const sp = plan.target.servicePrincipalId;
    await this.deps.directory.setSignIn(sp, false);
    if ((await this.deps.directory.signInEnabled(sp)) !== false) throw new Error(`the enterprise app ${sp} still reads as enabled after sign-in was turned off`);
    const stored = await this.save(saved, (r) => recordDisabled(r, this.deps.owner, plan.graceDays, this.deps.clock.now()));
    await this.checkpoint('after:disabled');
    return this.announce(stored, plan, 'disabled');
  }

  private async remove(saved: Versioned<RegistrationRequest>, plan: OffboardPlan, leaseMs: number): Promise<OffboardOutcome> {
    const { directory, owner, clock } = this.deps;
    const { target } = plan;
    const work: Record<RemovalStep, () => Promise<number>> = {
      appRoleAssignments: () => directory.removeAppRoleAssignments(target.servicePrincipalId),
      delegatedGrants: () => directory.removeDelegatedGrants(target.servicePrincipalId),
      passwords: () => directory.removePasswords(target.objectId),
      certificates: () => directory.removeCertificates(target.objectId),
      application: () => directory.deleteApplication(target.objectId),
    };
    let stored = saved;
    for (const step of REMOVAL_STEPS) {
      if (stored.value.offboarding?.removal?.[step]) continue;
      const removed = await work[step]();
      stored = await this.save(stored, (r) => recordRemoval(r, owner, leaseMs, step, removed, clock.now()));
      await this.checkpoint(`after:${step}`);
    }
    const left = await directory.leftovers(target);
    const still = [
      left.appRoleAssignments && `${left.appRoleAssignments} app role assignment(s)`, left.delegatedGrants && `${left.delegatedGrants} delegated grant(s)`,
      left.passwords && `${left.passwords} secret(s)`, left.certificates && `${left.certificates} certificate(s)`,
      left.applicationLive && 'the live registration', !left.applicationLive && !left.applicationDeleted && 'no restorable registration in deleted items',
    ].filter(Boolean);
    if (still.length) throw new Error(`the read-back after removal still shows ${still.join(', ')}`);
    stored = await this.save(stored, (r) => recordOffboarded(r, owner, clock.now()));
    await this.checkpoint('after:verified');
    return this.announce(stored, plan, 'offboarded');
  }

  private async reEnable(saved: Versioned<RegistrationRequest>, plan: OffboardPlan): Promise<OffboardOutcome> {
    const sp = plan.target.servicePrincipalId;
    await this.deps.directory.setSignIn(sp, true);
    if ((await this.deps.directory.signInEnabled(sp)) !== true) throw new Error(`the enterprise app ${sp} still reads as disabled after sign-in was turned on`);
    const stored = await this.save(saved, (r) => recordReEnabled(r, this.deps.owner, this.deps.clock.now()));
    await this.checkpoint('after:re-enabled');
    return this.announce(stored, plan, 're-enabled');
  }

  /** Within Entra's 30 days: the application, then its service principal, from deleted items; sign-in on; a re-grant asked for. */
  private async bringBack(saved: Versioned<RegistrationRequest>, plan: OffboardPlan, leaseMs: number): Promise<OffboardOutcome> {
    const { directory, owner, clock } = this.deps;
    let stored = saved;
    const ids = { application: plan.target.objectId, servicePrincipal: plan.target.servicePrincipalId } as const;
    for (const kind of ['application', 'servicePrincipal'] as const) {
      if (stored.value.offboarding?.broughtBack?.[kind]) continue;
      await directory.restoreDeleted(ids[kind], kind);
      stored = await this.save(stored, (r) => recordBroughtBack(r, owner, leaseMs, kind, clock.now()));
      await this.checkpoint(`after:restore-${kind}`);
    }
    await directory.setSignIn(plan.target.servicePrincipalId, true);
    const left = await directory.leftovers(plan.target);
    if (!left.applicationLive || (await directory.signInEnabled(plan.target.servicePrincipalId)) !== true) throw new Error('the read-back after the restore does not show the app live with sign-in on');
    const order = stored.value.offboarding!.restore!;
    const regrantId = this.deps.regrant ? await this.deps.regrant.execute(stored.value, plan, order.by) : undefined;
    stored = await this.save(stored, (r) => recordRestoredAfterRemoval(r, owner, regrantId, clock.now()));
    await this.checkpoint('after:brought-back');
    return this.announce(stored, plan, 're-enabled');
  }

  private async save(saved: Versioned<RegistrationRequest>, transition: (r: RegistrationRequest) => ProvisioningTransition<unknown>): Promise<Versioned<RegistrationRequest>> {
    const moved = transition(saved.value);
    if (!moved.ok) throw new LeaseLost(moved.refusal.code);
    return this.deps.requests.update(moved.request as RegistrationRequest, saved.etag);
  }

  private async checkpoint(name: string): Promise<void> {
    await this.deps.checkpoint?.(name);
  }

  /** Audits and tells people about a finished step, then records that it did (see OffboardRecord.told). */
  private async announce(stored: Versioned<RegistrationRequest>, plan: OffboardPlan, event: OffboardEvent): Promise<OffboardOutcome> {
    const message = announcement(stored.value, plan, event);
    const action = { disabled: 'offboard.disabled', offboarded: 'offboard.removed', 're-enabled': 'offboard.restored' }[event];
    // A worker that died after auditing but before recording it must not audit the step twice.
    const audited = (await this.deps.audit.forRequest(stored.value.id)).some((e) => e.action === action && e.outcome === 'ok');
    if (!audited) await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome: 'ok', requestId: stored.value.id, planHash: stored.value.planHash, correlationId: `offboard-${stored.value.id}`, detail: message.slice(0, 1_000) });
    await this.deps.notifier.changed(stored.value, message);
    await this.checkpoint(`told:${event}`);
    const told = { ...stored.value, offboarding: { ...stored.value.offboarding, told: [...(stored.value.offboarding?.told ?? []), event] } };
    const saved = await this.deps.requests.update(told, stored.etag).catch((error) => {
      // Another instance announced it at the same moment; its record stands.
      if (error instanceof ConcurrencyConflictError) return stored;
      throw error;
    });
    return { kind: event, request: saved.value };
  }

  private async fail(saved: Versioned<RegistrationRequest>, message: string, retryable: boolean, action: string): Promise<OffboardOutcome> {
    const moved = failProvisioning(saved.value, this.deps.owner, { message, retryable }, this.deps.clock.now());
    if (!moved.ok) return { kind: 'skipped', reason: moved.refusal.code };
    const stored = await this.deps.requests.update(moved.request, saved.etag);
    await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome: retryable ? 'failed' : 'refused', requestId: saved.value.id, correlationId: `offboard-${saved.value.id}`, detail: message.slice(0, 1_000) });
    await this.deps.notifier.changed(stored.value, message);
    return { kind: 'failed', request: stored.value };
  }
}
