import type { TeamsDeps } from '../teamsDeps';
import { previewCard } from '../commands/preview';
import type { ActionHandler, ActionInput } from './actionRouter';

/** Applies what the preview card sent (an answer, inputs, a new app name, the justification) to the draft and re-plans. */
export async function updateDraft({ actor, data, inputs }: Pick<ActionInput, 'actor' | 'data' | 'inputs'>, deps: TeamsDeps) {
  const draft = data.draftId ? await deps.drafts.get(actor.id, data.draftId) : undefined;
  if (!draft) return undefined;
  const before = deps.planner(draft.text, draft.inputs, draft.choices, draft.id);
  const choice = typeof data.choice === 'string' ? data.choice.slice(0, 200) : undefined;
  const updated = {
    ...draft,
    inputs: { ...draft.inputs, ...inputs },
    choices: before.kind === 'needs-choice' && choice ? { ...draft.choices, [before.field]: choice } : draft.choices,
  };
  await deps.drafts.save(updated);
  return { draft: updated, outcome: deps.planner(updated.text, updated.inputs, updated.choices, updated.id) };
}

/** `request.choose`: the preview's Continue / Check and preview. */
export const chooseAction: ActionHandler = async (input, deps) => {
  const result = await updateDraft(input, deps);
  if (!result) return 'That preview has expired or is not yours. Type the request again.';
  if (result.outcome.kind === 'problem') return result.outcome.message;
  return { card: await previewCard(deps, result.draft, result.outcome) };
};
