import { TurnContext } from 'botbuilder';
import { GUID } from '../../domain/commandWords';
import { NO_GRAPH } from '../commands/offboard';
import { offboardNote } from '../views/offboardReply';
import type { ActionHandler } from './actionRouter';

/**
 * `offboard.request` with `{ appId }`: the button on the "which app?" card. The same as typing `offboard <appId>`;
 * the choice card becomes the request's card, and is recorded so it follows the request.
 */
export const offboardAction: ActionHandler = async ({ context, actor, data, correlationId }, deps) => {
  const appId = typeof data.appId === 'string' ? data.appId.trim() : '';
  if (!GUID.test(appId)) return 'That button does not name an app. Type **offboard [app name]** again.';
  if (!deps.offboard) return NO_GRAPH;
  const result = await deps.offboard.execute({ target: appId, actor, correlationId });
  if (result.kind === 'refused') return result.message;
  if (result.kind === 'ambiguous') return `More than one app has the Application ID ${appId}. Ask an Entra admin to look at it; nothing was requested.`;
  if (result.kind === 'submitted' && context.activity.replyToId) {
    await deps.cards.record(result.request.id, { conversation: TurnContext.getConversationReference(context.activity), activityId: context.activity.replyToId, audience: 'requester' }).catch((error) => deps.logger.warn({ err: error, requestId: result.request.id }, 'the offboard card was shown but not recorded; it will not update'));
  }
  return { card: deps.render(result.request, 'requester', actor.id), note: offboardNote(result), tone: 'good' };
};
