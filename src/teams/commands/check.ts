import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Helpdesk } from '../../app/helpdesk/helpdesk';
import type { Actor } from '../../domain/policy';
import { helpdeskActor } from '../../app/helpdesk/helpdeskAccess';
import type { PermissionType } from '../../domain/catalog/permissions';
import type { PermissionRow } from '../../domain/inspection';
import { cardAttachment } from '../cards';
import { privateAnswer } from '../privateAnswer';
import { escapeMarkdown } from '../views/markdown';
import type { TeamsDeps } from '../teamsDeps';
import { appChoiceView } from '../views/appChoiceView';
import { inspectView } from '../views/inspectView';

export interface PermissionQuestion {
  permission: string;
  type?: PermissionType;
}

/**
 * Helpdesk and approvers only: anyone else is refused politely (and the refusal audited, as every refusal is);
 * without Graph there is nothing to read. Undefined when the turn has been answered.
 */
export async function helpdeskGate(context: TurnContext, deps: TeamsDeps, action: string, subject: string): Promise<{ access: { actor: Actor }; helpdesk: Helpdesk } | undefined> {
  const userId = context.activity.from?.aadObjectId;
  if (!userId) return void (await context.sendActivity('I cannot tell who you are from this Teams client.'));
  const person = { id: userId, name: context.activity.from.name ?? '' };
  const access = await helpdeskActor(person, deps.membership, deps.groups);
  if (!access.ok) {
    await deps.audit.append({ at: new Date().toISOString(), action: `helpdesk.${action}`, outcome: 'refused', actor: person, correlationId: randomUUID(), detail: `not helpdesk or approver; asked about ${subject.slice(0, 120)}` });
    return void (await context.sendActivity(access.message));
  }
  if (!deps.helpdesk) return void (await context.sendActivity('Onboard cannot read the directory here: Microsoft Graph is not configured. Ask your Onboard administrator.'));
  return { access, helpdesk: deps.helpdesk };
}

/** `check X` and `does X have P`: helpdesk and approvers only; one app's card, a choice, or the closest names. */
export async function sendCheck(context: TurnContext, deps: TeamsDeps, target: string, question?: PermissionQuestion): Promise<void> {
  const gate = await helpdeskGate(context, deps, question ? 'does-have' : 'check', target);
  if (!gate) return;
  const { access, helpdesk } = gate;
  const answer = privateAnswer(context, deps);
  const outcome = await helpdesk.inspect.execute({ target, actor: access.actor });
  if (outcome.kind !== 'found') {
    const again = question ? (app: string) => `does ${app} have ${question.permission}${question.type ? ` ${question.type.toLowerCase()}` : ''}` : undefined;
    return answer({ attachments: [cardAttachment('appChoice', appChoiceView(outcome, again))] });
  }
  const approver = access.actor.isApprover;
  const made = outcome.inspection.requestId ? (await deps.requests.get(outcome.inspection.requestId))?.value : undefined;
  const review = made && deps.reviews?.line(made);
  if (!question) return answer({ attachments: [cardAttachment('inspect', inspectView(outcome.inspection, { approver, review }))] });
  const matches = (row: PermissionRow) => row.name.toLowerCase() === question.permission.toLowerCase() && (!question.type || row.type === question.type);
  const rows = outcome.inspection.permissions.filter(matches);
  const yesNo = answerFor(escapeMarkdown(outcome.inspection.app.displayName), question, outcome.inspection.app.kind === 'enterprise' ? rows.map((r) => ({ ...r, requested: true })) : rows);
  await answer({ attachments: [cardAttachment('inspect', inspectView(outcome.inspection, { approver, answer: yesNo, only: matches }))] });
}

function answerFor(app: string, question: PermissionQuestion, rows: PermissionRow[]): { text: string; good: boolean } {
  const asked = `${question.permission}${question.type ? ` (${question.type})` : ''}`;
  const held = rows.filter((r) => r.granted === 'admin');
  if (held.length) return { text: `Yes: ${app} holds ${held.map((r) => `${r.name} (${r.type})`).join(' and ')}${held.some((r) => !r.requested) ? ', although it does not request it' : ''}.`, good: true };
  const perUser = rows.filter((r) => r.granted === 'per-user');
  if (perUser.length) return { text: `Partly: ${asked} was consented by ${perUser.map((r) => r.perUserCount).reduce((a, b) => a + b, 0)} people for themselves; there is no admin consent for everyone.`, good: false };
  if (rows.some((r) => r.requested)) return { text: `No: ${app} requests ${asked}, but it has not been granted (no admin consent).`, good: false };
  return { text: `No: ${app} neither requests nor holds ${asked}.`, good: false };
}
