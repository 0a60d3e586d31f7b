import { ActivityTypes, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { checkTurnOrigin } from '../domain/turnOrigin';
import type { TeamsDeps } from './teamsDeps';

/**
 * Runs before every turn: a turn from another channel than Teams, or from another tenant, gets no
 * further. It is audited, and told why where a reply can go (a message, or a card click's answer).
 * Other activities (installs, typing) are dropped without a word.
 */
export async function admitTurn(context: TurnContext, deps: Pick<TeamsDeps, 'audit' | 'ownTenantId' | 'logger'>): Promise<boolean> {
  const { activity } = context;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenantId = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined;
  const refusal = checkTurnOrigin({ channelId: activity.channelId, tenantId, conversationTenantId: activity.conversation?.tenantId }, deps.ownTenantId);
  if (!refusal) return true;
  const actor = activity.from?.aadObjectId ? { id: activity.from.aadObjectId.slice(0, 80), name: (activity.from.name ?? '').slice(0, 120) } : undefined;
  await deps.audit.append({ at: new Date().toISOString(), action: `turn.${refusal.code}`, outcome: 'refused', actor, correlationId: randomUUID(), detail: `${refusal.detail}; ${activity.type ?? 'no type'}`.slice(0, 200) });
  deps.logger.warn({ code: refusal.code, detail: refusal.detail, type: activity.type }, 'turn refused at the edge');
  if (activity.type === ActivityTypes.Message) await context.sendActivity(refusal.message);
  if (activity.type === ActivityTypes.Invoke && activity.name === 'adaptiveCard/action') {
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: refusal.message } } });
  }
  return false;
}
