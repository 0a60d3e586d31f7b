import type { TurnContext } from 'botbuilder';
import { helpdeskGate } from './check';
import type { PermissionType } from '../../domain/catalog/permissions';
import { cardAttachment } from '../cards';
import { privateAnswer } from '../privateAnswer';
import { escapeMarkdown } from '../views/markdown';
import type { TeamsDeps } from '../teamsDeps';
import { inspectHoldersView } from '../views/inspectHoldersView';

/** A lookup slower than this tells the asker it is still working. */
export const PROGRESS_AFTER_MS = 2_000;

/** `which apps have P [application|delegated]`: a reverse lookup over every app's grants, for helpdesk and approvers. */
export async function sendWhichApps(context: TurnContext, deps: TeamsDeps, permission: string, type?: PermissionType): Promise<void> {
  const gate = await helpdeskGate(context, deps, 'which-apps', permission);
  if (!gate) return;
  const answer = privateAnswer(context, deps);
  let scanned = 0;
  let told: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    told = answer(`Still looking: ${scanned ? `${scanned.toLocaleString('en-US')} grants read so far` : 'reading every app\'s grants'}. The answer follows.`);
  }, PROGRESS_AFTER_MS);
  try {
    const outcome = await gate.helpdesk.holders.execute({ permission, type, progress: (n) => (scanned = n) });
    clearTimeout(timer);
    await told;
    if (outcome.kind === 'unknown-permission') {
      return answer(`"${escapeMarkdown(outcome.permission)}" is not a Microsoft Graph permission${type ? ` of type ${type}` : ''}.${outcome.suggestions.length ? ` Try: ${outcome.suggestions.map((s) => `**${s}**`).join(' or ')}.` : ''}`);
    }
    await answer({ attachments: [cardAttachment('inspectHolders', inspectHoldersView(outcome.permission, outcome.results, { type }))] });
  } finally {
    clearTimeout(timer);
  }
}
