import type { Clock } from '../../src/app/ports';
import type { Membership } from '../../src/app/workflowPorts';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2026-11-22T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Group membership held in memory: a fake of our own Membership port for use-case tests. */
export class InMemoryMembership implements Membership {
  constructor(private readonly groups: Record<string, string[]> = {}) {}
  async memberOf(userId: string, groupIds: string[]): Promise<Set<string>> {
    return new Set(groupIds.filter((g) => this.groups[g]?.includes(userId)));
  }
  async members(groupId: string): Promise<string[]> {
    return [...(this.groups[groupId] ?? [])];
  }
}
