import type { Activity, TurnContext } from 'botbuilder';
import type { TeamsDeps } from './teamsDeps';

export type Answer = (activity: Partial<Activity> | string) => Promise<void>;

/** How a private answer reaches someone's personal chat with Onboard; false when they have none yet. */
export interface PersonalChats {
  messageToPerson(userId: string, activity: Partial<Activity>): Promise<boolean>;
}

const SENT = 'I sent my answer to your personal chat with Onboard: helpdesk answers and approval details are for you only, not for everyone here.';
const NO_CHAT = 'Helpdesk answers and approval details go only to your personal chat with Onboard, and you have not opened one yet. Open a chat with Onboard (in Teams: Apps, search for Onboard, then Open), say hello, and ask again there.';

/**
 * Where answers for the asker's eyes only go. In a personal chat: right there. In a channel or group chat,
 * everyone present would read them, so they go to the asker's personal chat, and this conversation gets
 * one short note saying so (or how to open that chat, when there is none yet).
 */
export function privateAnswer(context: TurnContext, deps: Pick<TeamsDeps, 'personalChats'>): Answer {
  const type = context.activity.conversation?.conversationType;
  // Teams sets the type on every conversation; like rememberConversation, none counts as personal.
  if (!type || type === 'personal') return async (activity) => void (await context.sendActivity(activity));
  const userId = context.activity.from?.aadObjectId;
  let noted = false;
  return async (activity) => {
    const message: Partial<Activity> = typeof activity === 'string' ? { type: 'message', text: activity } : { type: 'message', ...activity };
    const delivered = !!userId && (await deps.personalChats.messageToPerson(userId, message));
    if (noted) return;
    noted = true;
    await context.sendActivity(delivered ? SENT : NO_CHAT);
  };
}
