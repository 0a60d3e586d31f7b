import type { TurnContext } from 'botbuilder';
import { resolveActor } from '../../app/approvals/actors';
import { notYours, requestViewer } from '../../domain/requestAccess';
import { cardAttachment } from '../cards';
import { privateAnswer } from '../privateAnswer';
import type { TeamsDeps } from '../teamsDeps';
import { requestListView } from '../views/listViews';
import { inboxAttachment } from './pending';
import { withDeliveryNote, withNote } from '../views/note';
import { escapeMarkdown } from '../views/markdown';

/** `status` lists the caller's requests (and, for an approver, what waits for them); `status REQ-…` shows one, to its requester, approvers and helpdesk. */
export async function sendStatus(context: TurnContext, deps: TeamsDeps, requestId?: string): Promise<void> {
  const userId = context.activity.from?.aadObjectId;
  if (!userId) return void (await context.sendActivity('I cannot tell who you are from this Teams client.'));
  if (!requestId) {
    const mine = await deps.requests.listByRequester(userId, 20);
    const inbox = await deps.awaiting.execute({ id: userId, name: context.activity.from.name ?? '' });
    const own = cardAttachment('requestList', requestListView(mine, 'Your requests', inbox.isApprover ? 'You have asked for nothing yourself.' : undefined));
    return privateAnswer(context, deps)({ attachments: inbox.isApprover || inbox.requests.length ? [inboxAttachment(inbox.requests, inbox.isApprover), own] : [own] });
  }
  const found = await deps.requests.get(requestId.toUpperCase());
  const request = found?.value;
  if (!request) return void (await context.sendActivity(`I cannot find ${requestId}. Type **status** to list your requests.`));
  const actor = await resolveActor({ id: userId, name: context.activity.from.name ?? '' }, deps.membership, deps.groups);
  const viewer = requestViewer(request, actor);
  if (!viewer) return void (await context.sendActivity(notYours(request.id)));
  // Who has the approval card, and who could not be reached: for the requester and the approvers, not other readers.
  const delivery = viewer !== 'other' && request.state === 'PendingApproval' ? await deps.deliveryStatus?.(request.id) : '';
  const card = deps.render(request, viewer, userId);
  const withDelivery = delivery ? withDeliveryNote(card, delivery) : card;
  // The periodic review of the app this request made: when it was reviewed and is due, or who is asked (docs/review.md).
  const review = deps.reviews?.line(request);
  const content = review ? withNote(withDelivery, escapeMarkdown(review), /overdue|proposed|offboarding/i.test(review) ? 'attention' : 'good') : withDelivery;
  await privateAnswer(context, deps)({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }] });
}
