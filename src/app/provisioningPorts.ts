import type { Progress, RegistrationRequest } from '../domain/request';

/**
 * Where the saga reports as it goes: the Teams side updates the status card ("3 of 7: service principal
 * created"). Calls are not awaited by the saga's critical path, and a failure here never fails provisioning.
 */
export interface ProvisioningProgress {
  stepDone(request: RegistrationRequest, progress: Progress): Promise<void>;
  /** Provisioned and verified: `request.provisioning` holds the ids, the tenant and the verified permissions. */
  finished(request: RegistrationRequest): Promise<void>;
  /** Failed: `request.failure` says why in plain words, and whether Retry can help. */
  failed(request: RegistrationRequest): Promise<void>;
}

export const silentProgress: ProvisioningProgress = {
  stepDone: async () => undefined,
  finished: async () => undefined,
  failed: async () => undefined,
};

export interface ProvisioningSettings {
  /** This instance's name on leases; unique per process. */
  owner: string;
  /** How long a lease lasts without renewal; the saga renews it as it works. */
  leaseMs: number;
  /** Total time the saga waits out replication lag and throttling before it fails (retryable). */
  lagBudgetMs: number;
  backoff?: { baseMs?: number; capMs?: number };
  /** Add the requester as an owner of the new application. */
  requesterAsOwner: boolean;
  /** When the handed-over secret leaves the vault if nobody collects it. */
  handoverTtlMs: number;
}

export const defaultProvisioningSettings = (owner: string): ProvisioningSettings => ({
  owner, leaseMs: 60_000, lagBudgetMs: 120_000, requesterAsOwner: false, handoverTtlMs: 7 * 86_400_000,
});
