import type { ActionHandler } from './actionRouter';
import { answerFromCard } from './reviewAnswer';

/** `review.still-needed` with `{ requestId }` (the review card; its requester or an approver). Still needed: the review period starts again. */
export const reviewStillNeededAction: ActionHandler = (input, deps) => answerFromCard(input, deps, 'still-needed');
