import type { TurnContext } from 'botbuilder';
import { closest } from '../domain/text';
import { sendHelp } from './commands/help';
import type { TeamsDeps } from './teamsDeps';

/** parse → handler. Anything not understood gets the help card, with "did you mean" for a near miss. */
export async function routeText(context: TurnContext, text: string, deps: TeamsDeps): Promise<void> {
  const routes = deps;
  const trimmed = text.trim();
  const first = trimmed.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (first === 'help' || trimmed === '') return sendHelp(context, routes.topics);
  const near = closest(first, routes.topics.map((t) => t.word), 2, 1)[0];
  return sendHelp(context, routes.topics, { notUnderstood: trimmed.slice(0, 200), didYouMean: near });
}
