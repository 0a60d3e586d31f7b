import { expire, isDueForReminder, type RegistrationRequest } from '../../domain/request';
import { isConcurrencyConflict } from '../errors';
import type { Clock } from '../ports';
import type { AuditLog, RequestStore } from '../workflowPorts';

export interface SweepSettings {
  reminderAfterMs: number;
}

export interface SweepListener {
  expired(request: RegistrationRequest): Promise<void>;
  remind(request: RegistrationRequest): Promise<void>;
}

/**
 * Expires stale requests and sends one reminder each. Safe on several instances at once: every
 * change is a compare-and-set, and only the instance whose write wins notifies anyone.
 */
export class SweepRequests {
  constructor(private readonly deps: { requests: RequestStore; audit: AuditLog; clock: Clock; settings: SweepSettings; listener: SweepListener }) {}

  async execute(): Promise<{ expired: number; reminded: number }> {
    const now = this.deps.clock.now();
    let expired = 0;
    let reminded = 0;
    for (const { value: request, etag } of await this.deps.requests.listInStates(['PendingApproval'])) {
      try {
        const expiry = expire(request, now);
        if (expiry.ok) {
          await this.deps.requests.update(expiry.request, etag);
          await this.deps.audit.append({ at: now.toISOString(), action: 'expired', outcome: 'ok', requestId: request.id, planHash: request.planHash, correlationId: `sweep-${now.getTime()}` });
          await this.deps.listener.expired(expiry.request);
          expired++;
        } else if (isDueForReminder(request, now, this.deps.settings.reminderAfterMs)) {
          const updated = await this.deps.requests.update({ ...request, reminderSentAt: now.toISOString() }, etag);
          await this.deps.listener.remind(updated.value);
          reminded++;
        }
      } catch (error) {
        // Another instance (or a click) changed it first; the winner does the notifying.
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
    return { expired, reminded };
  }
}
