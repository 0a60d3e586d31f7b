import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import { secretNotice } from '../secretNotifier';

import type { TeamsDeps } from '../teamsDeps';

/**
 * `revoke secret for <app>`: nothing happens yet. The requester (or an approver) gets a card that names what
 * revoking breaks, and only its "Revoke now" button (secret.revoke) removes the secret.
 */
export async function sendRevoke(context: TurnContext, deps: TeamsDeps, target: string): Promise<void> {
  const from = context.activity.from;
  if (!from?.aadObjectId) return void (await context.sendActivity('I cannot tell who you are from this Teams client. Please use Teams signed in with your work account.'));
  if (!deps.revoke) return void (await context.sendActivity('Revoking needs Microsoft Graph and Key Vault, and this Onboard has neither configured. Remove the secret in the Entra admin center instead.'));
  const found = await deps.revoke.target({ target, actor: { id: from.aadObjectId, name: from.name ?? 'Someone' } });
  if (found.kind === 'refused') return void (await context.sendActivity(found.message));
  const vendor = found.vendor ?? 'the vendor';
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(secretNotice({
    title: `Revoke the client secret of ${found.appName} now?`,
    text: `Use this if the secret may be exposed. Revoking removes every client secret Onboard handed over for this app at once, with no grace period: ${vendor}'s connection stops working until you enter a new secret there, which can mean an outage for everyone who relies on it. Onboard then asks for a new secret through the usual approval, and sends you a new one-time link.`,
    color: 'Attention', facts: [{ title: 'Request', value: found.request.id }, { title: 'Application (client) ID', value: found.appId }], revokeAppId: found.appId,
  }))] });
}
