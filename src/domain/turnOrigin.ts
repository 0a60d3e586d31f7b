/**
 * Where a chat turn comes from, and whether Onboard serves it. Onboard acts in one tenant with
 * roles that can grant anything there, so it answers only that tenant's Teams: Azure adds a Web Chat
 * channel to every bot, and a bot can be installed in other tenants' Teams too.
 */
export interface TurnOrigin {
  channelId?: string;
  /** `channelData.tenant.id`: where Teams says the turn comes from. */
  tenantId?: string;
  /** `conversation.tenantId`, which Teams also sets; when present it must agree. */
  conversationTenantId?: string;
}

export type OriginRefusal = { code: 'channel' | 'tenant'; message: string; detail: string };

const clip = (value: string | undefined) => (value ?? 'none').slice(0, 80);

export function checkTurnOrigin(origin: TurnOrigin, ownTenantId: string): OriginRefusal | undefined {
  if (origin.channelId !== 'msteams') {
    return { code: 'channel', message: 'Onboard works only in Microsoft Teams. Open Onboard in Teams (Apps, then search for Onboard) and ask there.', detail: `channel ${clip(origin.channelId)}` };
  }
  const own = ownTenantId.toLowerCase();
  const tenants = [origin.tenantId, origin.conversationTenantId].filter((t): t is string => !!t);
  if (!origin.tenantId || tenants.some((t) => t.toLowerCase() !== own)) {
    return {
      code: 'tenant',
      message: 'Onboard serves only its own organization\'s Microsoft Teams, and this conversation is not in it. Ask your own IT team how to request app registrations.',
      detail: `tenant ${clip(origin.tenantId)}${origin.conversationTenantId && origin.conversationTenantId !== origin.tenantId ? ` (conversation ${clip(origin.conversationTenantId)})` : ''}`,
    };
  }
  return undefined;
}
