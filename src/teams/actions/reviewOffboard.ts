import type { ActionHandler } from './actionRouter';
import { answerFromCard } from './reviewAnswer';

/** `review.offboard` with `{ requestId }` (the review card; its requester or an approver). Offboard: an offboarding request through the normal approval. */
export const reviewOffboardAction: ActionHandler = (input, deps) => answerFromCard(input, deps, 'offboard');
