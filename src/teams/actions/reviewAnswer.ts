import type { ReviewAnswer } from '../../domain/review';
import type { ActionHandler, ActionInput } from './actionRouter';
import type { TeamsDeps } from '../teamsDeps';

/** Shared by the three review verbs: the request id from the card, the answer from the verb, everything else from the store. */
export async function answerFromCard({ actor, data, inputs, correlationId }: ActionInput, deps: TeamsDeps, answer: ReviewAnswer): ReturnType<ActionHandler> {
  if (!data.requestId) return 'That review button does not name a request. Type **status** to find the app\'s request.';
  if (!deps.reviews) return 'Reviews need Microsoft Graph, and this Onboard has none configured.';
  const chosen = inputs.remove ?? '';
  // A card input is cut at 300 characters: a longer choice would lose permissions silently, so it is refused instead.
  if (answer === 'reduce' && chosen.length >= 300) return 'That is more permissions than one card answer can carry. Choose fewer, or offboard the app instead.';
  const result = await deps.reviews.answer.execute({ requestId: data.requestId, answer, actor, correlationId, remove: chosen.split(',').map((s) => s.trim()).filter(Boolean) });
  return result.kind === 'refused' ? result.message : { card: { type: 'AdaptiveCard', version: '1.5', body: [] }, note: result.message, tone: 'good' };
}
