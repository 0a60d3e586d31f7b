import type { TurnContext } from 'botbuilder';
import type { RegistrationRequest } from '../../domain/request';
import { cardAttachment } from '../cards';
import { privateAnswer } from '../privateAnswer';
import type { TeamsDeps } from '../teamsDeps';
import { requestListView } from '../views/listViews';

/** The approver's inbox as a list card; each entry opens that request's card with the buttons. */
export function inboxAttachment(requests: RegistrationRequest[], isApprover: boolean) {
  const emptyText = isApprover ? 'Nothing waits for your decision.' : 'Nothing waits for your decision: only members of the Onboard approvers group decide on requests. Type **status** for your own requests.';
  return cardAttachment('requestList', requestListView(requests, 'Waiting for your decision', emptyText));
}

/** `pending`: the requests waiting for this person's decision. */
export async function sendPending(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const from = context.activity.from;
  if (!from?.aadObjectId) return void (await context.sendActivity('I cannot tell who you are from this Teams client.'));
  const inbox = await deps.awaiting.execute({ id: from.aadObjectId, name: from.name ?? '' });
  // What waits for an approver names requests and requesters: for them, not for a channel.
  await privateAnswer(context, deps)({ attachments: [inboxAttachment(inbox.requests, inbox.isApprover)] });
}

/**
 * An approver's first message (or installing Onboard): what waits for them, so a request submitted before
 * Onboard could reach them is not lost. Nothing is said to anyone else, or when nothing waits.
 */
export async function offerInbox(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const from = context.activity.from;
  if (!from?.aadObjectId) return;
  const inbox = await deps.awaiting.execute({ id: from.aadObjectId, name: from.name ?? '' });
  if (!inbox.requests.length) return;
  await context.sendActivity({ text: `Welcome to Onboard. ${inbox.requests.length} request(s) wait for your decision: open one below, or type **pending** any time.`, attachments: [inboxAttachment(inbox.requests, inbox.isApprover)] });
}
