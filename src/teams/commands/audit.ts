import type { TurnContext } from 'botbuilder';
import { resolveActor } from '../../app/approvals/actors';
import { cardAttachment } from '../cards';
import { privateAnswer } from '../privateAnswer';
import type { TeamsDeps } from '../teamsDeps';
import { auditView } from '../views/listViews';

/** `audit REQ-…`: the request's audit trail, for approvers and helpdesk only. */
export async function sendAudit(context: TurnContext, deps: TeamsDeps, requestId?: string): Promise<void> {
  const userId = context.activity.from?.aadObjectId;
  if (!userId) return void (await context.sendActivity('I cannot tell who you are from this Teams client.'));
  const actor = await resolveActor({ id: userId, name: context.activity.from.name ?? '' }, deps.membership, deps.groups);
  if (!actor.isApprover && !actor.isHelpdesk) return void (await context.sendActivity('Only approvers and the helpdesk can read audit trails. Ask a member of the Onboard Approvers or Onboard Helpdesk group.'));
  if (!requestId) return void (await context.sendActivity('Which request? For example: **audit REQ-7K2M9Q**. Type **status** to list requests.'));
  const id = requestId.toUpperCase();
  await privateAnswer(context, deps)({ attachments: [cardAttachment('audit', auditView(id, await deps.audit.forRequest(id)))] });
}
