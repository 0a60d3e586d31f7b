import type { Membership } from '../workflowPorts';

/**
 * Used when no directory is configured: nobody is a member of anything, so nobody can approve.
 * Start-up logs a warning, and the refusal text tells people who to ask.
 */
export class UnconfiguredMembership implements Membership {
  async memberOf(): Promise<Set<string>> {
    return new Set();
  }
}
