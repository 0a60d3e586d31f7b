import { backoffDelayMs, classifyFailure, lacksRoleMessage, type OnboardRole } from '../../domain/provisioning';
import { DirectoryError } from '../directoryPort';
import type { ProvisioningSettings } from '../provisioningPorts';
import { LeaseLostError, type LeasedRequest } from '../provisioningLease';

/** A failure that ends this attempt: the request becomes Failed with this text for the approvers. */
export class SagaFailure extends Error {
  constructor(message: string, readonly retryable: boolean, readonly refused = false) {
    super(message);
  }
}

/** The read-back did not match the plan yet; on Graph that is usually replication, so it is waited out. */
export class ReadBackMismatch extends Error {}

export const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for every branch, then throws the most telling failure: no branch is left running after the saga stops. */
export async function settle(branches: Promise<unknown>[]): Promise<void> {
  const reasons = (await Promise.allSettled(branches)).flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (reasons.length) throw reasons.find((e) => e instanceof LeaseLostError) ?? reasons.find((e) => e instanceof SagaFailure) ?? reasons[0];
}

/**
 * Runs one Graph call until it succeeds, waiting out replication lag and throttling with bounded,
 * jittered backoff; an error that cannot succeed ends the attempt at once, in plain words.
 */
export async function persistCall<T>(
  context: { leased: LeasedRequest; settings: ProvisioningSettings; deadline: number; sleep?: (ms: number) => Promise<void>; random?: () => number },
  role: OnboardRole | (() => OnboardRole),
  work: () => Promise<T>,
): Promise<T> {
  const { sleep = sleepFor, random = Math.random, settings } = context;
  for (let attempt = 0; ; attempt++) {
    context.leased.check();
    try {
      return await work();
    } catch (error) {
      if (error instanceof SagaFailure || error instanceof LeaseLostError) throw error;
      const kind = error instanceof ReadBackMismatch ? 'lag' : error instanceof DirectoryError ? classifyFailure(error) : 'transient';
      if (kind === 'forbidden') throw new SagaFailure(lacksRoleMessage([typeof role === 'function' ? role() : role]), true);
      if (kind === 'fatal') throw new SagaFailure(error instanceof DirectoryError && error.source === 'auth' ? error.message : `Microsoft Graph refused: ${(error as Error).message}`, error instanceof DirectoryError && error.source === 'auth');
      const delay = backoffDelayMs(attempt, random(), settings.backoff);
      if (Date.now() + delay > context.deadline) {
        const waited = Math.round(settings.lagBudgetMs / 1000);
        throw new SagaFailure(`Microsoft Graph still answered "${(error as Error).message}" after ${waited} s of retries.`, true);
      }
      await sleep(delay);
    }
  }
}
