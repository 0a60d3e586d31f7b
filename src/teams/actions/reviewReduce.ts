import type { ActionHandler } from './actionRouter';
import { answerFromCard } from './reviewAnswer';

/** `review.reduce` with `{ requestId }` (the review card; its requester or an approver). Reduce permissions: a removal-only request for the chosen permissions, through the normal approval. */
export const reviewReduceAction: ActionHandler = (input, deps) => answerFromCard(input, deps, 'reduce');
