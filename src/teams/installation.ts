import { TurnContext } from 'botbuilder';
import { cardAttachment } from './cards';
import { offerInbox } from './commands/pending';
import type { TeamsDeps } from './teamsDeps';

/** The three things the welcome card offers; the words are the command language's own (src/domain/commands.ts). */
export const welcomeThings = [
  { number: 1, title: 'Ask for a vendor integration, and see the exact plan first', example: 'onboard Miradore' },
  { number: 2, title: 'See what an app may do: granted, requested, secrets', example: 'check Miradore' },
  { number: 3, title: 'Follow your requests, or the ones waiting for your approval', example: 'status' },
];

const teamNote = 'Thanks for adding Onboard to this team. To have approval cards posted in a channel, an approver mentions me in that channel and types **set approvals channel**. People talk to me privately for everything else: open Onboard in the app bar.';

/**
 * Teams sends `installationUpdate` when the app is added to or removed from a personal scope, a team or a chat
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#install-update-event).
 * On a personal install the conversation reference is kept at once, so approval cards and one-time links reach
 * people who never typed; on removal it is forgotten, so later sends skip them instead of failing.
 */
export async function onInstallationUpdate(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { action, from, conversation, channelData } = context.activity as TurnContext['activity'] & { action?: string };
  const personal = !conversation?.conversationType || conversation.conversationType === 'personal';
  const user = from?.aadObjectId;
  const teamId = (channelData as { team?: { id?: string } } | undefined)?.team?.id;
  const at = new Date().toISOString();
  const audit = (what: string, detail?: string) =>
    deps.audit.append({ at, action: what, outcome: 'ok', actor: user ? { id: user, name: from?.name ?? '' } : undefined, correlationId: context.activity.id ?? '', detail });

  if (action === 'remove' || action === 'remove-upgrade') {
    if (personal && user) {
      await deps.conversations.forgetUser(user);
      await audit('app.uninstalled', 'personal chat');
    } else if (teamId && (await deps.conversations.forgetApprovalsChannelOf(teamId))) {
      await audit('app.uninstalled', 'the team of the approvals channel: approval cards go to approvers privately until an approver sets a channel again');
    }
    return;
  }
  if (action !== 'add' && action !== 'add-upgrade') return;
  if (personal && user) {
    const first = await deps.conversations.rememberUser(user, TurnContext.getConversationReference(context.activity));
    await audit('app.installed', 'personal chat');
    if (action === 'add') await context.sendActivity({ attachments: [cardAttachment('welcome', { things: welcomeThings })] });
    // Teams also sends conversationUpdate on install; whichever arrives first offers an approver what waits.
    if (first) await offerInbox(context, deps);
    return;
  }
  await audit('app.installed', conversation?.conversationType === 'channel' ? 'team' : 'group chat');
  if (action === 'add') await context.sendActivity(teamNote);
}
