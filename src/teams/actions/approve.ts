import type { ActionHandler } from './actionRouter';
import { decisionMessage } from './decisionMessage';

/** `approval.approve`: records the approval; the requester hears about it in the background. */
export const approveAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const result = await deps.decide.execute({ requestId: data.requestId ?? '', planHash: data.planHash ?? '', decision: 'approve', actor, correlationId });
  if (result.kind === 'refused') return result.request ? { card: deps.render(result.request, 'other'), note: result.message } : result.message;
  const { request, outcome } = result;
  deps.background(`notify ${request.id}`, async () => {
    await deps.notifier.changed(request, decisionMessage(request, outcome));
    // The click is answered already; provisioning runs after it, and the sweeper resumes it if this process dies.
    if (outcome === 'approved' && deps.provision) await deps.provision(request.id);
  });
  return { card: deps.render(result.request, result.request.requester.id === actor.id ? 'requester' : 'approver', actor.id) };
};
