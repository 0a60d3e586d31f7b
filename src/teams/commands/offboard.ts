import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import type { OffboardResult } from '../../app/offboarding/offboardPorts';
import type { RegistrationRequest } from '../../domain/request';
import { isOffboardPlan } from '../../domain/offboarding';
import { cardAttachment } from '../cards';
import { appChoiceView } from '../views/appChoiceView';
import { withNote } from '../views/note';
import { escapeMarkdown as md } from '../views/markdown';
import type { TeamsDeps } from '../teamsDeps';

/**
 * `offboard <app>`: an offboard request, sent to the approvers like every request. The asker gets the request card,
 * which lists exactly what approving does (step 1 at once, step 2 after the grace period), and is told who decides.
 * Several apps by that name: a choice, never a guess. Not Onboard's: the refusal says what an admin does by hand.
 */
export async function sendOffboard(context: TurnContext, deps: TeamsDeps, target: string): Promise<void> {
  const from = context.activity.from;
  if (!from?.aadObjectId) return void (await context.sendActivity('I cannot tell who you are from this Teams client. Please use Teams signed in with your work account.'));
  if (!deps.offboard) return void (await context.sendActivity('Offboarding needs Microsoft Graph, and this Onboard has none configured. An Entra admin can disable the app in the Entra admin center (Enterprise apps › the app › Properties › "Enabled for users to sign-in": No).'));
  const result = await deps.offboard.execute({ target, actor: { id: from.aadObjectId, name: from.name ?? 'Someone' }, correlationId: randomUUID() });
  if (result.kind === 'refused') return void (await context.sendActivity(result.message));
  if (result.kind === 'ambiguous') {
    return void (await context.sendActivity({ attachments: [cardAttachment('appChoice', appChoiceView({ kind: 'ambiguous', target, choices: result.candidates }, (app) => `offboard ${app}`))] }));
  }
  const { request } = result;
  const sent = await context.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: withNote(deps.render(request, 'requester', from.aadObjectId), offboardNote(result), 'good') }] });
  // Recorded so the card follows the request: approval, sign-in disabled, removal done.
  if (sent?.id && result.kind === 'submitted') {
    await deps.cards.record(request.id, { conversation: TurnContext.getConversationReference(context.activity), activityId: sent.id, audience: 'requester' }).catch((error) => deps.logger.warn({ err: error, requestId: request.id }, 'the offboard card was sent but not recorded; it will not update'));
  }
}

function offboardNote(result: Extract<OffboardResult, { kind: 'submitted' | 'already-submitted' }>): string {
  const request = result.request;
  if (result.kind === 'already-submitted') return `Offboarding ${md(isOffboardPlan(request.plan) ? request.plan.displayName : request.title)} is already requested as ${request.id} (${request.state === 'PendingApproval' ? 'waiting for approval' : 'approved'}), so nothing new was submitted. Type **status ${request.id}** to follow it.`;
  const where = result.where === 'channel' ? 'Posting it to the approvers channel.' : result.where === 'approvers' ? 'Sending it to the approvers.' : 'No approver can be reached yet: ask one to open a chat with Onboard, then type **status ' + request.id + '**.';
  return `Offboarding requested as ${request.id}. Nothing changes until ${approvalsNeeded(request)} from the Onboard approvers group ${request.requiredApprovals > 1 ? 'approve' : 'approves'} it. ${where}`;
}

function approvalsNeeded(request: RegistrationRequest): string {
  return request.requiredApprovals > 1 ? `${request.requiredApprovals} approvers` : 'an approver';
}
