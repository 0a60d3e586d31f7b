import { resolveActor } from '../../app/approvals/actors';
import type { ActionHandler } from './actionRouter';

/** `card.refresh`: Universal Actions asks for the viewer's own view; roles come from the directory. */
export const refreshAction: ActionHandler = async ({ actor, data }, deps) => {
  const found = data.requestId ? await deps.requests.get(data.requestId) : undefined;
  if (!found) return 'I cannot find that request any more.';
  const request = found.value;
  if (request.requester.id === actor.id) return { card: deps.render(request, 'requester', actor.id) };
  const resolved = await resolveActor(actor, deps.membership, deps.groups);
  return { card: deps.render(request, resolved.isApprover ? 'approver' : 'other', actor.id) };
};
