import type { TurnContext } from 'botbuilder';
import { parseCommand, commandWords } from '../domain/commands';
import { sendHelp } from './commands/help';
import { sendPreview } from './commands/preview';
import { sendStatus } from './commands/status';
import { sendPending } from './commands/pending';
import { sendAudit } from './commands/audit';
import { setApprovalsChannel } from './commands/setApprovalsChannel';
import { sendVendors } from './commands/vendors';
import { sendCheck } from './commands/check';
import { sendWhichApps } from './commands/whichApps';
import { sendSecretsExpiring } from './commands/secretsExpiring';
import { sendRotate } from './commands/rotate';
import { sendRevoke } from './commands/revoke';
import { sendReviews } from './commands/reviews';
import { sendOffboard } from './commands/offboard';
import { sendRestore } from './commands/restore';
import type { TeamsDeps } from './teamsDeps';

/** parse → handler. Anything not understood gets the help card, with "did you mean" for a near miss. */
export async function routeText(context: TurnContext, text: string, deps: TeamsDeps): Promise<void> {
  const command = parseCommand(text);
  switch (command.kind) {
    case 'help':
      return sendHelp(context, deps.topics);
    case 'onboard':
    case 'custom':
    case 'needs-choice':
    case 'unsupported':
      return sendPreview(context, deps, text);
    case 'status':
      return sendStatus(context, deps, command.requestId);
    case 'pending':
      return sendPending(context, deps);
    case 'audit':
      return sendAudit(context, deps, command.requestId);
    case 'set-approvals-channel':
      return setApprovalsChannel(context, deps);
    case 'vendors':
      return sendVendors(context);
    case 'check':
      return sendCheck(context, deps, command.target);
    case 'does-have':
      return sendCheck(context, deps, command.target, { permission: command.permission, type: command.type });
    case 'which-apps':
      return sendWhichApps(context, deps, command.permission, command.type);
    case 'rotate':
      return sendRotate(context, deps, command.target);
    case 'revoke':
      return sendRevoke(context, deps, command.target);
    case 'reviews':
      return sendReviews(context, deps);
    case 'offboard':
      return sendOffboard(context, deps, command.target);
    case 'restore':
      return sendRestore(context, deps, command.target);
    case 'secrets-expiring':
      return sendSecretsExpiring(context, deps, command.days);
    case 'unknown': {
      // A question back ("did you mean onboard …?") or an honest refusal ("Onboard cannot purge apps …"): said as it is.
      if (command.answer) return void (await context.sendActivity(`${command.reason}${command.suggestions.length ? ` Try: ${command.suggestions.map((s) => `**${s}**`).join(' or ')}.` : ''}`));
      const near = command.suggestions.find((s) => commandWords.some((c) => c.word === s));
      if (command.suggestions.length && !near && /^(onboard|register|set up|provision|custom)/i.test(text.trim())) {
        return void (await context.sendActivity(`${command.reason} Try: ${command.suggestions.map((s) => `**${s}**`).join(' or ')}.`));
      }
      return sendHelp(context, deps.topics, { notUnderstood: text.trim().slice(0, 200), didYouMean: near });
    }
  }
}
