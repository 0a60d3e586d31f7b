import { TurnContext } from 'botbuilder';
import { requestIdFor, type SubmitResult } from '../../app/requests/submitRequest';
import { AlreadyExistsError } from '../../app/errors';
import { previewCard } from '../commands/preview';
import type { ActionHandler } from './actionRouter';
import { escapeMarkdown as md } from '../views/markdown';
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
  // Recorded before the request exists: the outbox may finish sending before this click is answered, and its
  // report updates this card. Keyed by the card's activity, so a second click finds the record already there.
  if (input.context.activity.replyToId) {
    const reference = TurnContext.getConversationReference(input.context.activity);
    await deps.cards.record(requestIdFor(draft.id), { conversation: reference, activityId: input.context.activity.replyToId, audience: 'requester' }).catch((error) => {
      if (!(error instanceof AlreadyExistsError)) throw error;
    });
  }
  const submitted = await deps.submit.execute({ draftId: draft.id, planHash: outcome.planHash, actor: input.actor, correlationId: input.correlationId });
  // Nothing stored: the same preview again, saying what is missing (a justification, or a yes to a second app).
  if (submitted.kind === 'refused' && submitted.code === 'justification') return { card: await previewCard(deps, draft, outcome, submitted.message) };
  if (submitted.kind === 'confirm-duplicate') {
    // Display names come from the tenant: anyone who registers an app chooses them. The preview escapes its note.
    const names = submitted.existing.map((a) => `${a.displayName} (${a.appId})`).join(', ');
    return { card: await previewCard(deps, draft, outcome, `${outcome.plan.vendorId === 'custom' ? outcome.title : outcome.plan.vendor} already exists in this tenant: ${names}. Register a second one? Tick the box to go on.`) };
  }
  if (submitted.kind === 'refused') return submitted.message;
  if (submitted.kind === 'duplicate-pending') {
    const same = submitted.request;
    const note = `The same registration already waits for approval as ${same.id} (asked by ${md(same.requester.name)}), so nothing new was submitted. Type **status ${same.id}** to follow it.`;
    return same.requester.id === input.actor.id ? { card: deps.render(same, 'requester', input.actor.id), note } : note;
  }
  const { request } = submitted;
  const { note, tone } = whereItWent(submitted);
  return { card: deps.render(request, 'requester', input.actor.id), note: `Submitted as ${request.id}. ${note}`, tone };
};

/**
 * Where it is going. Nobody has it yet when the click is answered: the outbox sends it next, and then updates
 * this card with who has it and who could not be reached (in the attention colour).
 */
function whereItWent(submitted: Extract<SubmitResult, { kind: 'submitted' | 'already-submitted' }>): { note: string; tone: 'good' | 'attention' } {
  const self = submitted.request.selfApprovalAllowed ? ' Self-approval is on (local profile): you can approve it yourself on this card.' : '';
  if (submitted.kind !== 'submitted') return { note: 'It was already submitted.', tone: 'good' };
  if (submitted.where === 'channel') return { note: `Posting it to the approvers channel…${self}`, tone: 'good' };
  return { note: `Sending it to the approvers…${self}`, tone: 'good' };
}
