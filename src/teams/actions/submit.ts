import { TurnContext } from 'botbuilder';
import type { SubmitResult } from '../../app/requests/submitRequest';
import { previewCard } from '../commands/preview';
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
    return { card: await previewCard(deps, draft, outcome, 'The plan changed with what you entered. Check it, then submit again.') };
  }
  const submitted = await deps.submit.execute({ draftId: draft.id, planHash: outcome.planHash, actor: input.actor, correlationId: input.correlationId });
  // Nothing stored: the same preview again, saying what is missing (a justification, or a yes to a second app).
  if ((submitted.kind === 'refused' && submitted.code === 'justification') || submitted.kind === 'confirm-duplicate') return { card: await previewCard(deps, draft, outcome, submitted.message) };
  if (submitted.kind === 'refused') return submitted.message;
  if (submitted.kind === 'duplicate-pending') {
    const mine = submitted.request.requester.id === input.actor.id;
    return mine ? { card: deps.render(submitted.request, 'requester', input.actor.id), note: submitted.message } : submitted.message;
  }
  const { request } = submitted;
  if (submitted.kind === 'submitted') {
    const reference = TurnContext.getConversationReference(input.context.activity);
    if (input.context.activity.replyToId) await deps.cards.record(request.id, { conversation: reference, activityId: input.context.activity.replyToId, audience: 'requester' });
  }
  const { note, tone } = whereItWent(submitted);
  return { card: deps.render(request, 'requester', input.actor.id), note: `Submitted as ${request.id}. ${note}`, tone };
};

/** Who was told, by name; nobody reached is said in the attention colour, with what to do about it. */
function whereItWent(submitted: Extract<SubmitResult, { kind: 'submitted' | 'already-submitted' }>): { note: string; tone: 'good' | 'attention' } {
  const self = submitted.request.selfApprovalAllowed ? ' Self-approval is on (local profile): you can approve it yourself on this card.' : '';
  if (submitted.kind !== 'submitted') return { note: 'It was already submitted.', tone: 'good' };
  if (submitted.where === 'channel') return { note: `Posted to the approvers channel${submitted.notified?.length ? ` (${submitted.notified.join(', ')} can decide)` : ''}.${self}`, tone: 'good' };
  if (submitted.where === 'approvers') {
    const names = submitted.notified?.length ? submitted.notified.join(', ') : `${submitted.delivered} approver(s)`;
    return { note: `Sent to ${names}.${self}`, tone: 'good' };
  }
  return { note: `No approver could be reached yet: none of them has messaged Onboard, and no approvals channel is set. Ask an approver to message Onboard (they will be offered this request) or to type "set approvals channel" in their team channel.${self}`, tone: 'attention' };
}
