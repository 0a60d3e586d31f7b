import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Person } from '../../domain/request';
import type { TeamsDeps } from '../teamsDeps';
import { verbs } from '../verbs';
import { parseAction, type ActionData } from './actionInput';
import { approveAction } from './approve';
import { rejectAction } from './reject';
import { cancelAction } from './cancel';
import { refreshAction } from './refresh';
import { chooseAction } from './choose';
import { discardAction } from './discard';
import { submitAction } from './submit';
import { rotateAction } from './rotate';
import { confirmRotationAction } from './confirmRotation';
import { revokeAction } from './revoke';
import { fixDriftAction } from './fixDrift';
import { pageAction } from './page';
import { reviewStillNeededAction } from './reviewStillNeeded';
import { reviewReduceAction } from './reviewReduce';
import { reviewOffboardAction } from './reviewOffboard';
import { offboardAction } from './offboard';
import { withNote } from '../views/note';

export interface ActionInput {
  context: TurnContext;
  actor: Person;
  data: ActionData;
  inputs: Record<string, string>;
  correlationId: string;
}

/** A card to show the clicker (with an optional note above it), or a plain message. */
export type ActionResult = { card: Record<string, unknown>; note?: string; tone?: 'good' | 'attention' } | string;
export type ActionHandler = (input: ActionInput, deps: TeamsDeps) => Promise<ActionResult>;

/** One handler per verb; other files register theirs here. */
export const actionHandlers = new Map<string, ActionHandler>([
  [verbs.approve, approveAction],
  [verbs.reject, rejectAction],
  [verbs.cancel, cancelAction],
  [verbs.refresh, refreshAction],
  [verbs.choose, chooseAction],
  [verbs.discard, discardAction],
  [verbs.submit, submitAction],
  [verbs.rotate, rotateAction],
  [verbs.confirmRotation, confirmRotationAction],
  [verbs.revoke, revokeAction],
  [verbs.fixDrift, fixDriftAction],
  [verbs.page, pageAction],
  [verbs.reviewStillNeeded, reviewStillNeededAction],
  [verbs.reviewReduce, reviewReduceAction],
  [verbs.reviewOffboard, reviewOffboardAction],
  [verbs.offboard, offboardAction],
]);

/** Every Action.Execute arrives here: validated, dispatched by verb, and refused (and audited) when unknown. */
export async function routeAction(context: TurnContext, raw: unknown, deps: TeamsDeps): Promise<Record<string, unknown> | string> {
  const correlationId = randomUUID();
  const verb = String((context.activity.value as { action?: { verb?: unknown } })?.action?.verb ?? '').slice(0, 64);
  const parsed = parseAction(context, raw);
  const handler = actionHandlers.get(verb);
  if (!parsed.ok || !handler) {
    const problem = parsed.ok ? `Onboard does not know the action "${verb}". The card may come from an older version; ask for a new one.` : parsed.problem;
    await deps.audit.append({ at: new Date().toISOString(), action: verb || 'unknown', outcome: 'refused', actor: parsed.ok ? parsed.actor : undefined, correlationId, detail: problem.slice(0, 200) });
    return problem;
  }
  const result = await handler({ context, actor: parsed.actor, data: parsed.data, inputs: parsed.inputs, correlationId }, deps);
  if (typeof result === 'string') return result;
  return result.note ? withNote(result.card, result.note, result.tone ?? 'attention') : result.card;
}
