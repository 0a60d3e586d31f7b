import { ActivityTypes, TurnContext, type Activity, type InvokeResponse } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { routeText } from './router';
import { routeAction } from './actions/actionRouter';
import { onInstallationUpdate } from './installation';
import { offerInbox } from './commands/pending';
import { parseCommand } from '../domain/commands';
import type { TeamsDeps } from './teamsDeps';
import { admitTurn } from './turnGate';

export type OnboardApplication = Application<TurnState>;

/**
 * Bot Framework's public-cloud endpoints, as the SDK uses them by default. Once any one of them is given
 * (here: where the channel's signing keys are published), the SDK uses only what is given, so all are.
 */
const publicCloudChannel = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

/**
 * The SDK rethrows jsonwebtoken's own error when a token's signature or dates do not verify, and then
 * answers 500; a caller we cannot authenticate gets 401, whatever the reason.
 */
class AuthenticatingTeamsAdapter extends TeamsAdapter {
  protected override async processActivity(auth: string | AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    if (typeof auth !== 'string') return super.processActivity(auth, activity, logic);
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, auth);
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError(`Unauthorized. ${(error as Error).message}`, 401);
    }
    return super.processActivity(authenticated, activity, logic);
  }
}

/** The adapter alone decides how inbound requests are authenticated: anonymous locally, the Azure Bot's identity in Azure. */
export function createTeamsAdapter(bot: Config['bot']): TeamsAdapter {
  if (!bot.appId) return new TeamsAdapter({});
  return new AuthenticatingTeamsAdapter({
    MicrosoftAppId: bot.appId,
    MicrosoftAppType: bot.appType ?? 'UserAssignedMSI',
    MicrosoftAppTenantId: bot.tenantId,
    MicrosoftAppPassword: bot.password,
    ...(bot.openIdMetadataUrl ? { ...publicCloudChannel, ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl } : {}),
  });
}

export function createTeamsApplication(adapter: TeamsAdapter, deps: TeamsDeps): OnboardApplication {
  // Typing indicators are noise for a command bot and add a connector call per turn. teams-ai 1.7.4's run()
  // starts the timer whatever `startTypingTimer` says, so the method itself is switched off as well.
  const app = new Application<TurnState>({ adapter, startTypingTimer: false, removeRecipientMention: true });
  Object.defineProperty(app, 'startTypingTimer', { value: () => undefined });

  const apology = (context: TurnContext, error: unknown) => {
    const correlationId = randomUUID();
    deps.logger.error({ err: error, correlationId, conversationId: context.activity.conversation?.id }, 'turn failed');
    return `Sorry, something went wrong on my side. If it happens again, give your admin this reference: ${correlationId}`;
  };
  const apologise = async (context: TurnContext, error: unknown) => {
    await context.sendActivity(apology(context, error));
  };

  // Before anything reads the turn: only Teams, only the bot's own tenant.
  app.turn('beforeTurn', (context) => admitTurn(context, deps));
  app.activity(ActivityTypes.Message, async (context) => {
    try {
      const first = await rememberConversation(context, deps);
      await routeText(context, context.activity.text ?? '', deps);
      // Unless they asked for the list themselves already.
      if (first && !['pending', 'status'].includes(parseCommand(context.activity.text ?? '').kind)) await offerInbox(context, deps);
    } catch (error) {
      await apologise(context, error);
    }
  });
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    try {
      await onInstallationUpdate(context, deps);
    } catch (error) {
      // Nobody is waiting for an answer to an install: log it with a correlation id, as a turn would.
      deps.logger.error({ err: error, correlationId: randomUUID(), conversationId: context.activity.conversation?.id }, 'installation update failed');
    }
  });
  // Installing Onboard in a personal chat: Onboard can reach this person from now on, and an approver sees what waits.
  app.conversationUpdate('membersAdded', async (context) => {
    try {
      const botId = context.activity.recipient?.id;
      if (!context.activity.membersAdded?.some((m) => m.id === botId)) return;
      if (await rememberConversation(context, deps)) await offerInbox(context, deps);
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not greet a new personal chat');
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
    process: async (req, res) => {
      try {
        await adapter.process(req as never, res as never, (context) => app.run(context).then(() => undefined));
      } catch (error) {
        // The SDK checks the activity's shape before its own error handling, and throws: JSON that is not an activity is the sender's mistake, not a 500.
        const response = res as { headersSent?: boolean; send(code: number, body: unknown): void };
        if (response.headersSent) throw error;
        response.send(400, { error: 'The body is not a Bot Framework activity (it needs at least a "type").' });
      }
    },
  };
}

/** Personal chats are where Onboard reaches people later (approval cards, one-time links). True the first time this person is seen. */
async function rememberConversation(context: TurnContext, deps: TeamsDeps): Promise<boolean> {
  const { from, conversation } = context.activity;
  if (!from?.aadObjectId || (conversation?.conversationType && conversation.conversationType !== 'personal')) return false;
  return deps.conversations.rememberUser(from.aadObjectId, TurnContext.getConversationReference(context.activity));
}
