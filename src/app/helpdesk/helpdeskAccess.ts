import { resolveActor, type Groups } from '../approvals/actors';
import type { Actor } from '../../domain/policy';
import type { Person } from '../../domain/request';
import type { Membership } from '../workflowPorts';

export const NOT_HELPDESK = 'Only members of the Onboard Helpdesk and Onboard Approvers groups can look inside app registrations. Please ask someone in the Onboard Helpdesk group, or ask your Entra admin to add you to it.';

/** Helpdesk or approver, asked of the directory now; anyone else gets a polite refusal naming who to ask. */
export async function helpdeskActor(person: Person, membership: Membership, groups: Groups): Promise<{ ok: true; actor: Actor } | { ok: false; message: string }> {
  const actor = await resolveActor(person, membership, groups);
  return actor.isHelpdesk || actor.isApprover ? { ok: true, actor } : { ok: false, message: NOT_HELPDESK };
}
