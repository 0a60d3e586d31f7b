import type { OffboardResult } from '../../app/offboarding/offboardPorts';
import { isOffboardPlan } from '../../domain/offboarding';
import { escapeMarkdown as md } from './markdown';

type Sent = Extract<OffboardResult, { kind: 'submitted' | 'already-submitted' }>;

/** The line above the offboard request's card: what was done with the ask, and who decides. */
export function offboardNote(result: Sent): string {
  const request = result.request;
  if (result.kind === 'already-submitted') {
    const app = md(isOffboardPlan(request.plan) ? request.plan.displayName : request.title);
    return `Offboarding ${app} is already requested as ${request.id} (${request.state === 'PendingApproval' ? 'waiting for approval' : 'approved'}), so nothing new was submitted. Type **status ${request.id}** to follow it.`;
  }
  const where = result.where === 'channel' ? 'Posting it to the approvers channel.' : result.where === 'approvers' ? 'Sending it to the approvers.' : `No approver can be reached yet: ask one to open a chat with Onboard, then type **status ${request.id}**.`;
  const who = request.requiredApprovals > 1 ? `${request.requiredApprovals} approvers from the Onboard approvers group approve` : 'an approver from the Onboard approvers group approves';
  return `Offboarding requested as ${request.id}. Nothing changes until ${who} it. ${where}`;
}
