import { isConcurrencyConflict } from '../errors';
import type { Clock, Versioned } from '../ports';
import type { SecretVault } from '../secretVaultPort';
import type { AuditLog } from '../workflowPorts';
import { linkIdOf } from './linkToken';
import type { AppPasswordRemover, Cleanup, LinkStore, SecretLink, SecretLinkNotifier } from './secretLinkPorts';

export interface SweepExpiredLinksDeps {
  links: LinkStore;
  vault: SecretVault;
  passwords: AppPasswordRemover;
  notifier: SecretLinkNotifier;
  audit: AuditLog;
  clock: Clock;
  /** How long one instance holds a link's clean-up before another may take it over. */
  leaseMs?: number;
}

export interface SweepResult {
  /** Links that expired unrevealed in this sweep. */
  expired: number;
  /** Links whose clean-up finished in this sweep. */
  cleaned: number;
  /** Links left with work for a later sweep (a step failed, or another instance holds them). */
  pending: number;
}

type Step = Exclude<keyof Cleanup, 'leaseUntil'>;
class LostLease extends Error {}

/**
 * An unrevealed link past its expiry: the vault entry is deleted and purged, the password it belonged to is
 * removed from the app, and the requester is told (with Rotate). Also finishes a reveal whose purge failed.
 * Safe on every instance at once: expiring is a compare-and-set, and the clean-up runs under a short lease
 * recorded on the link, each finished step marked, so a crash resumes where it stopped and nobody is told twice.
 */
export class SweepExpiredLinks {
  constructor(private readonly deps: SweepExpiredLinksDeps) {}

  async execute(): Promise<SweepResult> {
    const result: SweepResult = { expired: 0, cleaned: 0, pending: 0 };
    for (const due of await this.deps.links.listDue(this.deps.clock.now())) {
      const taken = await this.take(due);
      if (!taken) {
        result.pending++;
        continue;
      }
      if (due.value.state === 'unused') result.expired++;
      if (await this.cleanUp(taken)) result.cleaned++;
      else result.pending++;
    }
    return result;
  }

  private async take(due: Versioned<SecretLink>): Promise<Versioned<SecretLink> | undefined> {
    const now = this.deps.clock.now();
    const link = due.value;
    const leaseUntil = new Date(now.getTime() + (this.deps.leaseMs ?? 120_000)).toISOString();
    if (link.state === 'unused' && now.getTime() < Date.parse(link.expiresAt)) return undefined;
    if (link.cleanup?.leaseUntil && Date.parse(link.cleanup.leaseUntil) > now.getTime()) return undefined;
    const next: SecretLink = link.state === 'unused'
      ? { ...link, state: 'expired', expiredAt: now.toISOString(), cleanup: { leaseUntil } }
      : { ...link, cleanup: { ...link.cleanup, leaseUntil } };
    try {
      const taken = await this.deps.links.update(next, due.etag);
      if (link.state === 'unused') await this.audit(link, 'secret.link.expired', 'ok', `unrevealed at ${link.expiresAt}; withdrawing the secret`);
      return taken;
    } catch (error) {
      if (isConcurrencyConflict(error)) return undefined;
      throw error;
    }
  }

  /** Runs each outstanding step once; true when nothing is left. A failed step is retried by a later sweep. */
  private async cleanUp(taken: Versioned<SecretLink>): Promise<boolean> {
    let current = taken;
    const link = taken.value;
    const target = { requestId: link.requestId, appId: link.appId, appObjectId: link.appObjectId, keyId: link.keyId };
    const steps: [Step, () => Promise<void>][] = [['vaultPurgedAt', () => this.deps.vault.destroy(link.vaultName)]];
    if (link.state === 'expired') {
      steps.push(['credentialRemovedAt', () => this.deps.passwords.removePassword(target)]);
      steps.push(['requesterNotifiedAt', () => this.deps.notifier.linkExpired({ ...target, recipient: link.recipient, appName: link.appName, expiredAt: link.expiredAt ?? link.expiresAt })]);
    }
    let failed = false;
    try {
      for (const [step, work] of steps) {
        if (current.value.cleanup?.[step]) continue;
        try {
          await work();
        } catch (error) {
          failed = true;
          await this.audit(link, 'secret.link.cleanup', 'failed', `${step.replace(/At$/, '')} failed (${(error as { status?: number }).status ?? (error as Error)?.name ?? 'error'}); retried by the next sweep`);
          continue;
        }
        current = await this.mark(current, { [step]: this.deps.clock.now().toISOString() });
      }
      // After a failure the lease is kept and runs out, which spaces the retries.
      if (!failed) current = await this.mark(current, { leaseUntil: undefined });
    } catch (error) {
      if (error instanceof LostLease) return false;
      throw error;
    }
    if (!failed && link.state === 'expired') await this.audit(link, 'secret.withdrawn', 'ok', `vault entry purged, password ${link.keyId} removed, ${link.recipient.name} notified`);
    return !failed;
  }

  private async mark(current: Versioned<SecretLink>, change: Partial<Cleanup>): Promise<Versioned<SecretLink>> {
    try {
      return await this.deps.links.update({ ...current.value, cleanup: { ...current.value.cleanup, ...change } }, current.etag);
    } catch (error) {
      if (isConcurrencyConflict(error)) throw new LostLease();
      throw error;
    }
  }

  private async audit(link: SecretLink, action: string, outcome: 'ok' | 'failed', detail: string): Promise<void> {
    await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: link.requestId, correlationId: `link-${linkIdOf(link.tokenHash)}`, detail });
  }
}
