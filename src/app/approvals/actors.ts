import type { Actor } from '../../domain/policy';
import type { Person } from '../../domain/request';
import type { Membership } from '../workflowPorts';

export interface Groups {
  approvers?: string;
  helpdesk?: string;
}

/** Who someone is for Onboard's policy, asked of the directory at the moment they act. */
export async function resolveActor(person: Person, membership: Membership, groups: Groups): Promise<Actor> {
  const wanted = [groups.approvers, groups.helpdesk].filter((g): g is string => !!g);
  const memberOf = wanted.length ? await membership.memberOf(person.id, wanted) : new Set<string>();
  return {
    ...person,
    isApprover: !!groups.approvers && memberOf.has(groups.approvers),
    isHelpdesk: !!groups.helpdesk && memberOf.has(groups.helpdesk),
  };
}
