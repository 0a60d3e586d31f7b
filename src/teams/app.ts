import { ActivityTypes, TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { routeText } from './router';
import { routeAction } from './actions/actionRouter';
import type { TeamsDeps } from './teamsDeps';

export type OnboardApplication = Application<TurnState>;

/** The adapter alone decides how inbound requests are authenticated: anonymous locally, the Azure Bot's identity in Azure. */
export function createTeamsAdapter(bot: Config['bot']): TeamsAdapter {
  if (!bot.appId) return new TeamsAdapter({});
  return new TeamsAdapter({
    MicrosoftAppId: bot.appId,
    MicrosoftAppType: bot.appType ?? 'UserAssignedMSI',
    MicrosoftAppTenantId: bot.tenantId,
    MicrosoftAppPassword: bot.password,
  });
}

export function createTeamsApplication(adapter: TeamsAdapter, deps: TeamsDeps): OnboardApplication {
  // Typing indicators are noise for a command bot and add a connector call per turn.
  const app = new Application<TurnState>({ adapter, startTypingTimer: false, removeRecipientMention: true });

  const apology = (context: TurnContext, error: unknown) => {
    const correlationId = randomUUID();
    deps.logger.error({ err: error, correlationId, conversationId: context.activity.conversation?.id }, 'turn failed');
    return `Sorry, something went wrong on my side. If it happens again, give your admin this reference: ${correlationId}`;
  };
  const apologise = async (context: TurnContext, error: unknown) => {
    await context.sendActivity(apology(context, error));
  };

  app.activity(ActivityTypes.Message, async (context) => {
    try {
      await rememberConversation(context, deps);
      await routeText(context, context.activity.text ?? '', deps);
    } catch (error) {
      await apologise(context, error);
    }
  });
  // One route for every verb: the router validates, dispatches, and refuses unknown verbs with an audit entry.
  app.adaptiveCards.actionExecute(/.*/, async (context, _state, data) => {
    try {
      return (await routeAction(context, data, deps)) as never;
    } catch (error) {
      return apology(context, error);
    }
  });
  // Failures outside a handler (state loading, the adapter) still get the apology, never a stack trace.
  app.error(apologise);
  return app;
}

/** What the HTTP layer needs to run a turn, without knowing about botbuilder. */
export interface BotEndpoint {
  process(req: unknown, res: unknown): Promise<void>;
}

export function createBotEndpoint(adapter: TeamsAdapter, app: OnboardApplication): BotEndpoint {
  return {
    process: (req, res) => adapter.process(req as never, res as never, (context) => app.run(context).then(() => undefined)),
  };
}

/** Personal chats are where Onboard reaches people later (approval cards, one-time links). */
async function rememberConversation(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const { from, conversation } = context.activity;
  if (!from?.aadObjectId || (conversation?.conversationType && conversation.conversationType !== 'personal')) return;
  await deps.conversations.rememberUser(from.aadObjectId, TurnContext.getConversationReference(context.activity));
}
