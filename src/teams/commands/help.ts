import type { TurnContext } from 'botbuilder';
import { cardAttachment } from '../cards';

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
  await context.sendActivity({
    text,
    attachments: [cardAttachment('help', { notUnderstood: view.notUnderstood ?? '', didYouMean: view.didYouMean ?? '', commands: topics })],
  });
}
