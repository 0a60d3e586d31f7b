import type { ActionHandler } from './actionRouter';
import { decisionMessage } from './decisionMessage';

/** `approval.reject`: needs a reason, which the requester is shown. */
export const rejectAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const result = await deps.decide.execute({ requestId: data.requestId ?? '', planHash: data.planHash ?? '', decision: 'reject', reason: data.reason ?? '', actor, correlationId });
  if (result.kind === 'refused') return result.request ? { card: deps.render(result.request, 'approver'), note: result.message } : result.message;
  deps.background(`notify ${result.request.id}`, () => deps.notifier.changed(result.request, decisionMessage(result.request, result.outcome)));
  return { card: deps.render(result.request, 'approver') };
};
