import { underLease, type ProvisioningRecord, type ProvisioningRefusal, type ProvisioningTransition, type Progress, type RegistrationRequest } from '../domain/request';
import { isConcurrencyConflict } from './errors';
import type { Clock, Versioned } from './ports';
import type { RequestStore } from './workflowPorts';

/** Another instance holds (or took over) the request's lease: this one stops, touching nothing more. */
export class LeaseLostError extends Error {
  constructor(readonly refusal: ProvisioningRefusal) {
    super(`provisioning lease lost: ${refusal.code}`);
    this.name = 'LeaseLostError';
  }
}

/**
 * The request as one saga run holds it: every write is compare-and-set, one at a time (parallel steps
 * would otherwise race each other's ETags), and renews the lease. A lost race re-reads and re-applies
 * the change, which is refused if the lease has meanwhile passed to someone else.
 */
export class LeasedRequest {
  private queue: Promise<unknown> = Promise.resolve();
  private heartbeat?: NodeJS.Timeout;
  private lostWith?: LeaseLostError;

  constructor(private readonly store: RequestStore, private readonly clock: Clock, private readonly owner: string, private readonly leaseMs: number, private current: Versioned<RegistrationRequest>) {}

  get value(): RegistrationRequest {
    return this.current.value;
  }

  get record(): ProvisioningRecord {
    return this.current.value.provisioning!;
  }

  /** Throws once the lease is known to be lost, so no further Graph call is made. */
  check(): void {
    if (this.lostWith) throw this.lostWith;
  }

  /** Changes the provisioning record under the lease (and renews it). */
  change(change: (record: ProvisioningRecord) => ProvisioningRecord, progress?: (record: ProvisioningRecord) => Progress): Promise<RegistrationRequest> {
    return this.transition((r) => underLease(r, this.owner, this.leaseMs, this.clock.now(), change, progress));
  }

  transition(apply: (request: RegistrationRequest) => ProvisioningTransition<unknown>): Promise<RegistrationRequest> {
    const run = this.queue.then(() => this.write(apply));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Renews the lease every third of its length while the saga waits on Graph. */
  startHeartbeat(): void {
    this.heartbeat = setInterval(() => void this.change((r) => r).catch(() => undefined), Math.max(250, this.leaseMs / 3));
    this.heartbeat.unref();
  }

  stopHeartbeat(): void {
    clearInterval(this.heartbeat);
  }

  private async write(apply: (request: RegistrationRequest) => ProvisioningTransition<unknown>): Promise<RegistrationRequest> {
    this.check();
    for (let attempt = 0; attempt < 20; attempt++) {
      const next = apply(this.current.value);
      if (!next.ok) throw (this.lostWith = new LeaseLostError(next.refusal));
      try {
        this.current = await this.store.update(next.request, this.current.etag);
        return this.current.value;
      } catch (error) {
        if (!isConcurrencyConflict(error)) throw error;
        const fresh = await this.store.get(this.current.value.id);
        if (!fresh) throw (this.lostWith = new LeaseLostError({ code: 'lease-lost' }));
        this.current = fresh;
      }
    }
    throw new Error(`request ${this.current.value.id} kept changing under the provisioning saga`);
  }
}
