import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { helpdeskGate } from './check';
import type { ExpiryWatchPoster } from '../../app/helpdesk/expiryWatch';
import type { ExpiringCredential } from '../../app/helpdesk/listExpiringSecrets';
import type { ConversationBook } from '../../app/workflowPorts';
import { cardAttachment } from '../cards';
import { privateAnswer } from '../privateAnswer';
import type { TeamsDeps } from '../teamsDeps';
import { expiringSecretsView } from '../views/expiringSecretsView';

/** `secrets expiring in 30 days`: helpdesk and approvers; approvers get Rotate buttons. */
export async function sendSecretsExpiring(context: TurnContext, deps: TeamsDeps, days: number): Promise<void> {
  const gate = await helpdeskGate(context, deps, 'secrets-expiring', `${days} days`);
  if (!gate) return;
  const expiring = await gate.helpdesk.expiring.execute({ days });
  await privateAnswer(context, deps)({ attachments: [cardAttachment('expiringSecrets', expiringSecretsView(expiring, days, { canRotate: gate.access.actor.isApprover }))] });
}

/** The daily expiry watch's list, posted in the approvals channel. */
export class TeamsExpiryPoster implements ExpiryWatchPoster {
  constructor(private readonly deps: { adapter: CloudAdapter; botAppId: string; conversations: ConversationBook }) {}

  async post(expiring: ExpiringCredential[], days: number): Promise<'posted' | 'no-channel'> {
    const channel = (await this.deps.conversations.approvalsChannel()) as Partial<ConversationReference> | undefined;
    if (!channel) return 'no-channel';
    const heading = `Daily check: ${expiring.length === 1 ? 'a secret ends' : 'secrets end'} within ${days} days`;
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, channel, async (context) => {
      await context.sendActivity({ attachments: [cardAttachment('expiringSecrets', expiringSecretsView(expiring, days, { canRotate: true, heading }))] });
    });
    return 'posted';
  }
}
