import type { ActionHandler } from './actionRouter';

/** `drift.fix` with `{ appId }` (the inspect card, approvers only): an approval request for the app's missing and extra permissions. */
export const fixDriftAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const appId = typeof data.appId === 'string' ? data.appId.trim() : '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) return 'That Fix drift button does not name an app. Type **check [app name]** for a fresh card.';
  if (!deps.helpdesk?.fixDrift) return 'Fixing drift needs Microsoft Graph, and this Onboard has none configured.';
  const result = await deps.helpdesk.fixDrift.execute({ appId, actor, correlationId });
  switch (result.kind) {
    case 'refused':
      return result.message;
    case 'already-submitted':
      return { card: deps.render(result.request, 'requester'), note: `This fix is already requested as ${result.request.id}.`, tone: 'good' };
    case 'submitted': {
      const where = result.where === 'channel' ? 'Posting it to the approvers channel.' : 'Sending it to the approvers.';
      return { card: deps.render(result.request, 'requester'), note: `Fix requested as ${result.request.id}. ${where} Another approver decides on it.`, tone: 'good' };
    }
  }
};
