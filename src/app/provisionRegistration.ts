import { uniqueNameFor } from '../domain/provisioning';
import { takeProvisioningLease, type RegistrationRequest } from '../domain/request';
import type { Directory } from './directoryPort';
import { isConcurrencyConflict } from './errors';
import { systemIds, type Clock, type Ids } from './ports';
import { LeasedRequest } from './provisioningLease';
import type { ProvisioningProgress, ProvisioningSettings } from './provisioningPorts';
import type { PreWriteGuard } from './provisioning/preWriteGuard';
import { SagaRun } from './provisioning/sagaRun';
import type { SecretVault } from './secretVaultPort';
import type { VaultRetry } from './secrets/storeHandoverSecret';
import type { AuditLog, RequestStore } from './workflowPorts';

export interface ProvisionRegistrationDeps {
  requests: RequestStore;
  audit: AuditLog;
  directory: Directory;
  vault: SecretVault;
  clock: Clock;
  settings: ProvisioningSettings;
  /** The re-checks made before any write (plan hash, allow-list, tiers, approvals, membership now, HMAC). */
  guard: PreWriteGuard;
  /** Where the random part of the application's uniqueName comes from. */
  ids?: Pick<Ids, 'unguessable'>;
  progress?: ProvisioningProgress;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Whole attempts at storing the secret in the vault, and their backoff (defaults: 4, from 500 ms). */
  vaultRetry?: VaultRetry;
}

export type ProvisionOutcome =
  | { kind: 'provisioned' | 'failed'; request: RegistrationRequest }
  | { kind: 'skipped'; reason: string }
  | { kind: 'lease-lost' };

/**
 * Makes an approved plan real in Entra ID: re-check → application (upsert by its recorded uniqueName) → patch ∥
 * service principal ∥ owner ∥ password (→ vault) → re-check and read-back → grants in $batch → read-back verified
 * against the plan. Each step's result is persisted with compare-and-set under a lease, so a restarted run, on
 * any instance, skips what is done.
 */
export class ProvisionRegistration {
  constructor(private readonly deps: ProvisionRegistrationDeps) {}

  async execute(input: { requestId: string; correlationId?: string }): Promise<ProvisionOutcome> {
    const taken = await this.acquire(input.requestId);
    if ('kind' in taken) return taken;
    const { leased, resumed } = taken;
    const correlationId = input.correlationId ?? `provision-${input.requestId}-${leased.record.attempt}`;
    await this.audit(leased.value, resumed ? 'provisioning.resumed' : 'provisioning.started', 'ok', correlationId);
    return new SagaRun(this.deps, leased, correlationId).run();
  }

  private async acquire(requestId: string): Promise<{ leased: LeasedRequest; resumed: boolean } | ProvisionOutcome> {
    const { requests, settings, clock } = this.deps;
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await requests.get(requestId);
      if (!current) return { kind: 'skipped', reason: 'unknown request' };
      // A rotation adds a password and nothing else (RotateSecret): re-running the saga would re-grant what an admin revoked.
      if (current.value.rotation) return { kind: 'skipped', reason: 'a rotation, not a registration' };
      // Recorded with the lease, before any upsert: a resumed run finds the same name, and nobody could guess it.
      const key = current.value.provisioning?.key ?? uniqueNameFor(requestId, (this.deps.ids ?? systemIds).unguessable());
      const taken = takeProvisioningLease(current.value, settings.owner, settings.leaseMs, key, clock.now());
      if (!taken.ok) return { kind: 'skipped', reason: taken.refusal.code === 'leased' ? `leased by ${taken.refusal.owner}` : taken.refusal.code };
      try {
        const saved = await requests.update(taken.request, current.etag);
        return { leased: new LeasedRequest(requests, clock, settings.owner, settings.leaseMs, saved), resumed: current.value.state === 'Provisioning' };
      } catch (error) {
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
    return { kind: 'skipped', reason: 'busy' };
  }

  private audit(request: RegistrationRequest, action: string, outcome: 'ok' | 'failed', correlationId: string, detail?: string): Promise<void> {
    return this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: request.id, planHash: request.planHash, correlationId, detail });
  }
}
