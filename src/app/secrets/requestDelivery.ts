import type { RegistrationRequest } from '../../domain/request';
import { isConcurrencyConflict } from '../errors';
import type { Clock } from '../ports';
import type { RequestStore } from '../workflowPorts';

/**
 * Provisioned → SecretDelivered once the requester has the value. domain/request.ts allows the move but has
 * no function for it yet; this one records history as `move` does there, and belongs there in time.
 */
export function deliverSecret<Plan>(request: RegistrationRequest<Plan>, now: Date): RegistrationRequest<Plan> | undefined {
  if (request.state !== 'Provisioned') return undefined;
  const at = now.toISOString();
  return { ...request, state: 'SecretDelivered', updatedAt: at, history: [...request.history, { at, from: request.state, to: 'SecretDelivered' }] };
}

/** Applies deliverSecret by compare-and-set, re-reading after a lost race; a request in another state is left alone. */
export async function markSecretDelivered(requests: RequestStore, clock: Clock, requestId: string): Promise<RegistrationRequest | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await requests.get(requestId);
    const next = current && deliverSecret(current.value, clock.now());
    if (!current || !next) return current?.value;
    try {
      return (await requests.update(next, current.etag)).value;
    } catch (error) {
      if (!isConcurrencyConflict(error)) throw error;
    }
  }
  return undefined;
}
