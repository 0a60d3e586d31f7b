import { cancel, describeRefusal, type Person, type RegistrationRequest } from '../../domain/request';
import { isConcurrencyConflict } from '../errors';
import type { Clock } from '../ports';
import type { AuditLog, RequestStore } from '../workflowPorts';

export type CancelRequestResult = { kind: 'cancelled'; request: RegistrationRequest } | { kind: 'refused'; message: string; request?: RegistrationRequest };

/** The requester withdraws a request that is still waiting (or failed). */
export class CancelRequest {
  constructor(private readonly deps: { requests: RequestStore; audit: AuditLog; clock: Clock }) {}

  async execute(input: { requestId: string; planHash: string; actor: Person; correlationId: string }): Promise<CancelRequestResult> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.deps.requests.get(input.requestId);
      const now = this.deps.clock.now();
      const refuse = async (message: string, detail: string, request?: RegistrationRequest): Promise<CancelRequestResult> => {
        await this.deps.audit.append({ at: now.toISOString(), action: 'cancel', outcome: 'refused', actor: input.actor, requestId: input.requestId, correlationId: input.correlationId, detail });
        return { kind: 'refused', message, request };
      };
      if (!current) return refuse('I cannot find that request.', 'unknown-request');
      if (current.value.planHash !== input.planHash) return refuse('This card is out of date. Use the latest card for this request.', 'out-of-date', current.value);
      const result = cancel(current.value, input.actor, now);
      if (!result.ok) return refuse(describeRefusal(result.refusal), result.refusal.code, current.value);
      try {
        const saved = await this.deps.requests.update(result.request, current.etag);
        await this.deps.audit.append({ at: now.toISOString(), action: 'cancelled', outcome: 'ok', actor: input.actor, requestId: input.requestId, planHash: saved.value.planHash, correlationId: input.correlationId });
        return { kind: 'cancelled', request: saved.value };
      } catch (error) {
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
    return { kind: 'refused', message: 'Please try again in a moment.' };
  }
}
