import type { OnboardRole } from './provisioning';

/**
 * The split of Onboard's Graph roles between its two identities (ARCHITECTURE › Trust boundaries): the bot
 * talks to people and only reads; the worker, with no inbound endpoint, also writes.
 */
const SHARED_READS: readonly OnboardRole[] = ['Application.Read.All', 'GroupMember.Read.All', 'Organization.Read.All'];

/** The bot's reads; User.Read.All only for the periodic review's "has the requester left" (docs/review.md). */
export const BOT_GRAPH_ROLES: readonly OnboardRole[] = [...SHARED_READS, 'User.Read.All'];

/** What the grant script gives the bot: its roles, plus reading delegated grants for the helpdesk's per-user consent counts. */
export const BOT_GRAPH_GRANTS: readonly string[] = [...BOT_GRAPH_ROLES, 'DelegatedPermissionGrant.Read.All'];

export const GRAPH_WRITE_ROLES: readonly OnboardRole[] = ['Application.ReadWrite.OwnedBy', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'];

export const WORKER_GRAPH_ROLES: readonly OnboardRole[] = [...GRAPH_WRITE_ROLES, ...SHARED_READS];

/** Roles an identity holds that it should not: a bot token that can write means the split is not in force. */
export function excessRoles(allowed: readonly string[], held: Iterable<string>): string[] {
  const writes = new Set(['Application.ReadWrite.OwnedBy', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All']);
  return [...held].filter((r) => writes.has(r) && !allowed.includes(r));
}
