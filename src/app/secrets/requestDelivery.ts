import { recordSecretRevealed, type RegistrationRequest } from '../../domain/request';
import { isConcurrencyConflict } from '../errors';
import type { Clock } from '../ports';
import type { RequestStore } from '../workflowPorts';

/** Provisioned → SecretDelivered by compare-and-set, re-reading after a lost race; a request in another state is left alone. */
export async function markSecretDelivered(requests: RequestStore, clock: Clock, requestId: string): Promise<RegistrationRequest | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await requests.get(requestId);
    const moved = current && recordSecretRevealed(current.value, clock.now());
    if (!current || !moved?.ok) return current?.value;
    try {
      return (await requests.update(moved.request, current.etag)).value;
    } catch (error) {
      if (!isConcurrencyConflict(error)) throw error;
    }
  }
  return undefined;
}
