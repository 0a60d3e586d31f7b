import { TeamsInfo, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { RegistrationRequest } from '../domain/request';
import { verbs } from './verbs';

/** Teams refreshes a card by itself for at most 60 listed users; anyone else presses "Show my options". */
export const REFRESH_LIMIT = 60;

/**
 * The approvers among the team's members, as Teams ids (MRIs), up to the refresh limit. From the team roster
 * (GET /v3/conversations/{id}/pagedmembers), so an approver who never opened a personal chat with Onboard is
 * listed too. Only decides who sees their own view without a click: every click is authorized on the server.
 */
export async function rosterApprovers(adapter: CloudAdapter, botAppId: string, channel: Partial<ConversationReference>, isApprover: (userId: string) => Promise<boolean>): Promise<string[]> {
  const mris: string[] = [];
  await inConversation(adapter, botAppId, channel, async (context) => {
    let token: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, 100, token);
      // The connector client hands back an error body (a 404, say) as if it were a page.
      if (!Array.isArray(page?.members)) throw new Error('the connector returned no roster for this conversation');
      for (const member of page.members) {
        if (member.aadObjectId && (await isApprover(member.aadObjectId))) mris.push(member.id);
        if (mris.length >= REFRESH_LIMIT) return;
      }
      token = page.continuationToken;
    } while (token);
  });
  return mris;
}

/**
 * Runs `work` in a proactive turn and lets its failure reach the caller. The adapter would otherwise hand it to the
 * app's turn-error handler, which posts an apology into that very conversation and reports nothing back.
 */
export async function inConversation(adapter: CloudAdapter, botAppId: string, reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<void>): Promise<void> {
  let failure: unknown;
  await adapter.continueConversationAsync(botAppId, reference, async (context: TurnContext) => {
    try {
      await work(context);
    } catch (error) {
      failure = error ?? new Error('failed');
    }
  });
  if (failure) throw failure;
}

/**
 * The card everyone in the channel sees: read-only, plus (while a decision is open) `refresh` for the listed
 * approvers and a "Show my options" button for any other approver. The button's answer is that person's own view
 * and carries no `refresh` (teams-ai 1.7.4 would rewrite the whole message with it).
 */
export function channelApprovalCard(request: RegistrationRequest, base: Record<string, unknown>, userIds: string[]): Record<string, unknown> {
  if (request.state !== 'PendingApproval') return base;
  const data = { requestId: request.id, planHash: request.planHash };
  const actions = Array.isArray(base.actions) ? base.actions : [];
  return {
    ...base,
    actions: [...actions, { type: 'Action.Execute', title: 'Show my options', verb: verbs.refresh, data }],
    refresh: { action: { type: 'Action.Execute', verb: verbs.refresh, data }, userIds },
  };
}
