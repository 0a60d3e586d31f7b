import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import { cardAttachment } from '../cards';
import { appChoiceView } from '../views/appChoiceView';
import { withNote } from '../views/note';
import { offboardNote } from '../views/offboardReply';
import { verbs } from '../verbs';
import type { TeamsDeps } from '../teamsDeps';

/** Without Graph there is nothing to read or plan: what an admin does instead. */
export const NO_GRAPH = 'Offboarding needs Microsoft Graph, and this Onboard has none configured. An Entra admin can disable the app in the Entra admin center (Enterprise apps › the app › Properties › "Enabled for users to sign-in": No).';

/**
 * `offboard <app>`: an offboard request, sent to the approvers like every request. The asker gets the request card,
 * which lists exactly what approving does (step 1 at once, step 2 after the grace period), and is told who decides.
 * Several apps by that name: a choice (the `offboard.request` verb, with the app's id), never a guess. Not
 * Onboard's: the refusal says what an admin does by hand.
 */
export async function sendOffboard(context: TurnContext, deps: TeamsDeps, target: string): Promise<void> {
  const from = context.activity.from;
  if (!from?.aadObjectId) return void (await context.sendActivity('I cannot tell who you are from this Teams client. Please use Teams signed in with your work account.'));
  if (!deps.offboard) return void (await context.sendActivity(NO_GRAPH));
  const result = await deps.offboard.execute({ target, actor: { id: from.aadObjectId, name: from.name ?? 'Someone' }, correlationId: randomUUID() });
  if (result.kind === 'refused') return void (await context.sendActivity(result.message));
  if (result.kind === 'ambiguous') {
    return void (await context.sendActivity({ attachments: [cardAttachment('appChoice', appChoiceView({ kind: 'ambiguous', target, choices: result.candidates }, (app) => `offboard ${app}`, verbs.offboard))] }));
  }
  const { request } = result;
  const sent = await context.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: withNote(deps.render(request, 'requester', from.aadObjectId), offboardNote(result), 'good') }] });
  // Recorded so the card follows the request: approval, sign-in disabled, removal done.
  if (sent?.id && result.kind === 'submitted') {
    await deps.cards.record(request.id, { conversation: TurnContext.getConversationReference(context.activity), activityId: sent.id, audience: 'requester' }).catch((error) => deps.logger.warn({ err: error, requestId: request.id }, 'the offboard card was sent but not recorded; it will not update'));
  }
}
