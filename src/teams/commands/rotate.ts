import type { TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { TeamsDeps } from '../teamsDeps';
import { rotationReply } from '../actions/rotate';

/** `rotate secret for <app>`: a rotation request through the usual approval. */
export async function sendRotate(context: TurnContext, deps: TeamsDeps, target: string): Promise<void> {
  const from = context.activity.from;
  if (!from?.aadObjectId) return void (await context.sendActivity('I cannot tell who you are from this Teams client. Please use Teams signed in with your work account.'));
  if (!deps.rotate) return void (await context.sendActivity('Rotation needs Microsoft Graph and Key Vault, and this Onboard has neither configured. Ask IT to finish its set-up.'));
  // "… to me" names the asker as the recipient (the card says so, and two approvers must agree); otherwise the
  // new secret goes to the app's original requester, whoever asked.
  const toMe = /\s+(?:to\s+)?me$/i.exec(target);
  const result = await deps.rotate.execute({ target: toMe ? target.slice(0, toMe.index) : target, recipient: toMe ? 'me' : 'requester', actor: { id: from.aadObjectId, name: from.name ?? 'Someone' }, correlationId: randomUUID() });
  await context.sendActivity(rotationReply(result));
}
