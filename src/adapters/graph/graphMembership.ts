import type { Client } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../../app/directoryPort';
import type { Membership } from '../../app/workflowPorts';
import { graphCall } from './graphClient';

interface Cached {
  at: number;
  groups: Promise<Set<string>>;
}

/**
 * Transitive group membership from Graph, cached per user and group set for at most `ttlMs` (5 minutes):
 * a removal from the approvers group takes effect within that time.
 *
 * `checkMemberGroups` answers in one call, but Graph requires User.Read.All for it as well, which Onboard
 * deliberately does not hold. On 403 it switches, for good, to `transitiveMemberOf`, which needs only
 * GroupMember.Read.All.
 */
export class GraphMembership implements Membership {
  private readonly cache = new Map<string, Cached>();
  private useCheckMemberGroups = true;

  constructor(private readonly client: Client, private readonly ttlMs = 300_000, private readonly now: () => number = Date.now) {}

  memberOf(userId: string, groupIds: string[]): Promise<Set<string>> {
    const key = `${userId}|${[...groupIds].sort().join(',')}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.groups;
    const groups = this.lookup(userId, groupIds);
    this.cache.set(key, { at: this.now(), groups });
    groups.catch(() => this.cache.delete(key));
    if (this.cache.size > 5_000) this.cache.delete(this.cache.keys().next().value as string);
    return groups;
  }

  /** Needs only GroupMember.Read.All: the ids come back; display names would need User.Read.All, which Onboard does not hold. */
  async members(groupId: string): Promise<string[]> {
    const ids: string[] = [];
    let path: string | undefined = `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id&$top=999`;
    while (path) {
      const current: string = path;
      const page = await graphCall(() => this.client.api(current).get() as Promise<{ value: { id: string; '@odata.type'?: string }[]; '@odata.nextLink'?: string }>);
      ids.push(...page.value.filter((m) => !m['@odata.type'] || m['@odata.type'] === '#microsoft.graph.user').map((m) => m.id));
      path = page['@odata.nextLink'];
    }
    return ids;
  }

  private async lookup(userId: string, groupIds: string[]): Promise<Set<string>> {
    if (groupIds.length === 0) return new Set();
    const user = encodeURIComponent(userId);
    if (this.useCheckMemberGroups && groupIds.length <= 20) {
      try {
        const reply = await graphCall(() => this.client.api(`/users/${user}/checkMemberGroups`).post({ groupIds }) as Promise<{ value: string[] }>);
        return new Set(reply.value.filter((g) => groupIds.includes(g)));
      } catch (error) {
        if (error instanceof DirectoryError && error.status === 404) return new Set();
        if (!(error instanceof DirectoryError) || error.status !== 403) throw error;
        this.useCheckMemberGroups = false;
      }
    }
    const wanted = new Set(groupIds.map((g) => g.toLowerCase()));
    const found = new Set<string>();
    try {
      let path: string | undefined = `/users/${user}/transitiveMemberOf?$select=id&$top=999`;
      while (path) {
        const current: string = path;
        const page = await graphCall(() => this.client.api(current).get() as Promise<{ value: { id: string }[]; '@odata.nextLink'?: string }>);
        for (const group of page.value) if (wanted.has(group.id.toLowerCase())) found.add(groupIds.find((g) => g.toLowerCase() === group.id.toLowerCase())!);
        path = found.size === wanted.size ? undefined : page['@odata.nextLink'];
      }
    } catch (error) {
      // Someone unknown to the directory (a guest from elsewhere, a test user) is a member of nothing.
      if (error instanceof DirectoryError && error.status === 404) return new Set();
      throw error;
    }
    return found;
  }
}
