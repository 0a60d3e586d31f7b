import { randomUUID } from 'node:crypto';
import { CardFactory, type TurnContext } from 'botbuilder';
import type { PlanOutcome } from '../../app/requests/planner';
import type { Draft } from '../../app/workflowPorts';
import { renderCard } from '../cards';
import type { TeamsDeps } from '../teamsDeps';
import { previewView } from '../views/previewView';

/** The preview card, with the apps it would repeat looked up first (Graph, through the helpdesk inventory). */
export async function previewCard(deps: TeamsDeps, draft: Draft, outcome: Exclude<PlanOutcome, { kind: 'problem' }>, note = ''): Promise<Record<string, unknown>> {
  const duplicates = outcome.kind === 'plan' && deps.duplicates ? await deps.duplicates.execute(outcome.plan) : [];
  return renderCard('preview', previewView(draft, outcome, note, { duplicates }));
}

/** `onboard …`: keeps what was typed as a draft and answers with the preview (or the one open question). */
export async function sendPreview(context: TurnContext, deps: TeamsDeps, text: string): Promise<void> {
  const requesterId = context.activity.from?.aadObjectId;
  if (!requesterId) return void (await context.sendActivity('I cannot tell who you are from this Teams client, so I cannot take requests from it.'));
  const draft: Draft = { id: randomUUID(), requesterId, text: text.slice(0, 1_000), inputs: {}, choices: {}, createdAt: new Date().toISOString() };
  const outcome = deps.planner(draft.text, draft.inputs, draft.choices, draft.id);
  if (outcome.kind === 'problem') {
    const tries = outcome.suggestions.length ? ` Try: ${outcome.suggestions.map((s) => `**${s}**`).join(' or ')}.` : '';
    return void (await context.sendActivity(`${outcome.message}${tries}`));
  }
  await deps.drafts.create(draft);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await previewCard(deps, draft, outcome))] });
}
