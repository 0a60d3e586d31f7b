import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import { renderCard } from '../cards';
import { escapeMarkdown } from '../views/markdown';

export interface HelpTopic {
  word: string;
  summary: string;
  example: string;
}

export interface HelpView {
  notUnderstood?: string;
  didYouMean?: string;
}

/** The help card: every command with one example; also the answer to anything not understood. */
export async function sendHelp(context: TurnContext, topics: readonly HelpTopic[], view: HelpView = {}): Promise<void> {
  const text = view.didYouMean ? `Did you mean "${view.didYouMean}"?` : view.notUnderstood ? 'Here is what I can do.' : 'Here is what I can do.';
  await context.sendActivity({ text, attachments: [CardFactory.adaptiveCard(helpCard(topics, view))] });
}

export function helpCard(topics: readonly HelpTopic[], view: HelpView = {}): Record<string, unknown> {
  return renderCard('help', { notUnderstood: escapeMarkdown(view.notUnderstood), didYouMean: view.didYouMean ?? '', commands: topics });
}
