import { LeaseLostError } from '../provisioningLease';

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
