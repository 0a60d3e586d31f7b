import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging';
import type { Config } from '../config';
import { routeText, type TextRoutes } from './router';

export interface TeamsAppDeps {
  logger: Logger;
  routes: TextRoutes;
}

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

export function createTeamsApplication(adapter: TeamsAdapter, deps: TeamsAppDeps): OnboardApplication {
  // Typing indicators are noise for a command bot and add a connector call per turn.
  const app = new Application<TurnState>({ adapter, startTypingTimer: false, removeRecipientMention: true });

  const apologise = async (context: TurnContext, error: unknown) => {
    const correlationId = randomUUID();
    deps.logger.error({ err: error, correlationId, conversationId: context.activity.conversation?.id }, 'turn failed');
    await context.sendActivity(`Sorry, something went wrong on my side. If it happens again, give your admin this reference: ${correlationId}`);
  };

  app.activity(ActivityTypes.Message, async (context) => {
    await routeText(context, context.activity.text ?? '', deps.routes).catch((error) => apologise(context, error));
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
