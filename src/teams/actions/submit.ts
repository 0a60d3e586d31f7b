import { TurnContext } from 'botbuilder';
import { renderCard } from '../cards';
import { previewView } from '../views/previewView';
import type { ActionHandler } from './actionRouter';
import { updateDraft } from './choose';

/**
 * `request.submit`: if the requester edited anything on the card, they see the new plan first;
 * otherwise the request is stored and the approvers are told. The preview becomes the status card.
 */
export const submitAction: ActionHandler = async (input, deps) => {
  const result = await updateDraft(input, deps);
  if (!result) return 'That preview has expired or is not yours. Type the request again.';
  const { draft, outcome } = result;
  if (outcome.kind === 'problem') return outcome.message;
  if (outcome.kind === 'needs-choice' || outcome.missingInputs.length || outcome.planHash !== input.data.planHash) {
    return { card: renderCard('preview', previewView(draft, outcome, 'The plan changed with what you entered. Check it, then submit again.')) };
  }
  const submitted = await deps.submit.execute({ draftId: draft.id, planHash: outcome.planHash, actor: input.actor, correlationId: input.correlationId });
  if (submitted.kind === 'refused') return submitted.message;
  const { request } = submitted;
  if (submitted.kind === 'submitted') {
    const reference = TurnContext.getConversationReference(input.context.activity);
    if (input.context.activity.replyToId) await deps.cards.record(request.id, { conversation: reference, activityId: input.context.activity.replyToId, audience: 'requester' });
  }
  const where = submitted.kind !== 'submitted' ? 'It was already submitted.' : submitted.where === 'channel' ? 'The approvers channel has it.' : submitted.where === 'approvers' ? `Sent to ${submitted.delivered} approver(s).` : 'No approver could be reached yet: ask one to message Onboard or to run "set approvals channel" in their team channel.';
  return { card: deps.render(request, 'requester'), note: `Submitted as ${request.id}. ${where}`, tone: 'good' };
};
