import type { ActionHandler } from './actionRouter';

/** `request.cancel`: only the requester, only while the request waits. */
export const cancelAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const result = await deps.cancel.execute({ requestId: data.requestId ?? '', planHash: data.planHash ?? '', actor, correlationId });
  if (result.kind === 'refused') return result.request ? { card: deps.render(result.request, 'other'), note: result.message } : result.message;
  deps.background(`notify ${result.request.id}`, () => deps.notifier.changed(result.request, `${result.request.id} was cancelled by ${actor.name}.`));
  return { card: deps.render(result.request, 'requester') };
};
