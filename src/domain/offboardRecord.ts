import type { Person } from './request';

/**
 * What offboarding has done to the app, step by step, kept on the offboard request so a worker that died between
 * two steps resumes after the last recorded one (every step is repeatable anyway: a second run finds nothing left).
 */
export interface OffboardRecord {
  /** Step 1, read back: the service principal's accountEnabled was false. */
  disabledAt?: string;
  /** When step 2 may start: approval + the plan's grace days. */
  removeAfter?: string;
  /** Step 2's steps, in order; each keeps what it removed. */
  removal?: { [S in RemovalStep]?: { at: string; removed: number } };
  /** The read-back after step 2: nothing granted, no credentials, the application in deleted items. */
  verifiedAt?: string;
  /** An approver called the offboarding off within the grace period; signed like an approval, so a row can't forge it. */
  restore?: { by: Person; at: string; mac: string };
  /** The worker turned sign-in back on, read back. */
  reEnabledAt?: string;
  /** After removal: the application and its service principal came back from deleted items. */
  broughtBack?: { application?: string; servicePrincipal?: string };
  /** After removal and restore: the request that asks the approvers again for the approved plan's permissions. */
  regrantRequestId?: string;
  /**
   * Which finished steps were audited and announced. Saved after the step's own record, so a worker that dies in
   * between announces it on its next look, and a step done once is never done again for want of an announcement.
   */
  told?: OffboardEvent[];
}

export type OffboardEvent = 'disabled' | 'offboarded' | 're-enabled';

/** The announcement a resting state owes, if any. */
export function eventOf(state: string): OffboardEvent | undefined {
  return state === 'Disabled' ? 'disabled' : state === 'Offboarded' ? 'offboarded' : state === 'Restored' ? 're-enabled' : undefined;
}

/** A finished step not yet announced. */
export function owesAnnouncement(request: { state: string; offboarding?: OffboardRecord }): OffboardEvent | undefined {
  const event = eventOf(request.state);
  return event && !request.offboarding?.told?.includes(event) ? event : undefined;
}

/** Step 2, in the order it runs: access first (grants), then credentials, then the registration itself. */
export const REMOVAL_STEPS = ['appRoleAssignments', 'delegatedGrants', 'passwords', 'certificates', 'application'] as const;
export type RemovalStep = (typeof REMOVAL_STEPS)[number];

/** The text a restore order's MAC covers: which offboarding, who ordered it, when. Signed like an approval. */
export function restorePayload(requestId: string, order: { by: Person; at: string }): string {
  return JSON.stringify({ requestId, action: 'offboard.restore', by: order.by.id, at: order.at });
}
