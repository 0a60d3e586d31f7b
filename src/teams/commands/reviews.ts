import type { TurnContext } from 'botbuilder';
import { cardAttachment } from '../cards';
import { privateAnswer } from '../privateAnswer';
import type { TeamsDeps } from '../teamsDeps';
import { reviewListView } from '../views/reviewView';

/** `reviews` (approvers only): the apps whose periodic review is due or overdue. It names requesters, so it is answered privately. */
export async function sendReviews(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const from = context.activity.from;
  if (!from?.aadObjectId) return void (await context.sendActivity('I cannot tell who you are from this Teams client.'));
  if (!deps.reviews) return void (await context.sendActivity('Reviews need Microsoft Graph, and this Onboard has none configured. Ask your Onboard administrator.'));
  const listed = await deps.reviews.list.execute({ id: from.aadObjectId, name: from.name ?? '' });
  if (listed.kind === 'refused') return void (await context.sendActivity(listed.message));
  await privateAnswer(context, deps)({ attachments: [cardAttachment('reviewList', reviewListView(listed.reviews))] });
}
