import { resolveActor } from '../../app/approvals/actors';
import { notYours, requestViewer } from '../../domain/requestAccess';
import type { ActionHandler } from './actionRouter';

/** `card.refresh`: Universal Actions asks for the viewer's own view; roles come from the directory, as for `status`. */
export const refreshAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const found = data.requestId ? await deps.requests.get(data.requestId) : undefined;
  if (!found) return 'I cannot find that request any more.';
  const request = found.value;
  const viewer = requestViewer(request, await resolveActor(actor, deps.membership, deps.groups));
  if (!viewer) {
    await deps.audit.append({ at: new Date().toISOString(), action: 'refresh', outcome: 'refused', actor, requestId: request.id, correlationId, detail: 'not the requester, an approver or helpdesk' });
    return notYours(request.id);
  }
  return { card: deps.render(request, viewer, actor.id) };
};
