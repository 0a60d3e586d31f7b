import { TurnContext } from 'botbuilder';
import { resolveActor } from '../../app/approvals/actors';
import type { TeamsDeps } from '../teamsDeps';

/** `set approvals channel`, run by an approver in a team channel: approval cards go there from now on. */
export async function setApprovalsChannel(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { from, conversation } = context.activity;
  if (!from?.aadObjectId) return void (await context.sendActivity('I cannot tell who you are from this Teams client.'));
  const actor = await resolveActor({ id: from.aadObjectId, name: from.name ?? '' }, deps.membership, deps.groups);
  if (!actor.isApprover) return void (await context.sendActivity('Only members of the Onboard approvers group can choose the approvals channel.'));
  if (conversation?.conversationType !== 'channel') return void (await context.sendActivity('Run this in the team channel where approvals should go: mention me there and type **set approvals channel**.'));
  const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
  // Stored as the bare channel id, so each approval card starts its own thread (not a reply to this message).
  await deps.conversations.setApprovalsChannel(TurnContext.getConversationReference(context.activity), from.aadObjectId, teamId);
  await deps.audit.append({ at: new Date().toISOString(), action: 'set approvals channel', outcome: 'ok', actor: { id: from.aadObjectId, name: from.name ?? '' }, correlationId: context.activity.id ?? '', detail: conversation.name ?? conversation.id });
  await context.sendActivity('Done: approval cards will be posted in this channel.');
}
