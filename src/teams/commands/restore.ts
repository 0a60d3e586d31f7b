import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { RestoreResult } from '../../app/offboarding/offboardPorts';
import type { RegistrationRequest } from '../../domain/request';
import { isOffboardPlan } from '../../domain/offboarding';
import { resolveActor } from '../../app/approvals/actors';
import { escapeMarkdown as md } from '../views/markdown';
import type { TeamsDeps } from '../teamsDeps';

/**
 * `restore <app>`: approvers only. Within the grace period sign-in comes back on; after removal the application
 * comes back from deleted items and its approved plan goes through a new approval. The use case checks the
 * approver again (the server decides); asking here first gives a non-approver the refusal before any Graph read.
 */
export async function sendRestore(context: TurnContext, deps: TeamsDeps, target: string): Promise<void> {
  const from = context.activity.from;
  if (!from?.aadObjectId) return void (await context.sendActivity('I cannot tell who you are from this Teams client. Please use Teams signed in with your work account.'));
  const person = { id: from.aadObjectId, name: from.name ?? 'Someone' };
  const actor = await resolveActor(person, deps.membership, deps.groups);
  if (!actor.isApprover) {
    await deps.audit.append({ at: new Date().toISOString(), action: 'offboard.restore', outcome: 'refused', actor: person, correlationId: randomUUID(), detail: `not an approver; asked to restore ${target.slice(0, 120)}` });
    return void (await context.sendActivity(`Only members of the Onboard approvers group${deps.groups.approvers ? ` (group ${deps.groups.approvers})` : ''} can restore an offboarded app. Nothing was changed. Ask an approver to type **restore ${md(target)}**, or your Entra admin to add you to the group.`));
  }
  if (!deps.restore) return void (await context.sendActivity('Restoring needs Microsoft Graph, and this Onboard has none configured. An Entra admin can restore the app in the Entra admin center (App registrations › Deleted applications) and turn its sign-in back on.'));
  await context.sendActivity(restoreReply(await deps.restore.execute({ target, actor: person, correlationId: randomUUID() }), target));
}

export function restoreReply(result: RestoreResult, target: string): string {
  switch (result.kind) {
    case 'refused':
      return result.message;
    case 'ambiguous':
      return `Several apps match "${md(target)}": ${result.candidates.map((c) => `${md(c.displayName)} (**restore ${c.appId}**)`).join(', ')}. Type the one you mean.`;
    case 're-enabling':
      return `Restoring ${appOf(result.request)} (${result.request.id}): Onboard turns its sign-in back on now, and will not remove it. Its card shows when sign-in is on again.`;
    case 'restoring':
      return `Restoring ${appOf(result.request)} (${result.request.id}) from deleted items: Onboard brings the app and its enterprise app back and turns sign-in on; its approved permissions then go to the approvers again as a new request. Its card shows each step.`;
  }
}

/** The app's name as the offboarding recorded it (the request's title says "Offboard: …"). */
function appOf(request: RegistrationRequest): string {
  return md(isOffboardPlan(request.plan) ? request.plan.displayName : request.title);
}
