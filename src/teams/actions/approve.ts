import type { ActionHandler } from './actionRouter';
import { decisionMessage } from './decisionMessage';

/** `approval.approve`: records the approval; the requester hears about it in the background. */
export const approveAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const result = await deps.decide.execute({ requestId: data.requestId ?? '', planHash: data.planHash ?? '', decision: 'approve', actor, correlationId });
  if (result.kind === 'refused') return result.request ? { card: deps.render(result.request, 'other'), note: result.message } : result.message;
  deps.background(`notify ${result.request.id}`, () => deps.notifier.changed(result.request, decisionMessage(result.request, result.outcome)));
  return { card: deps.render(result.request, 'approver') };
};
