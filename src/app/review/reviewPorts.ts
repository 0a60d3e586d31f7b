import type { Person, RegistrationRequest } from '../../domain/request';
import type { Inspection } from '../helpdesk/inspectApp';

/** Whether a person still works here, as the directory says now (docs/review.md: which Graph permission, and why). */
export interface PeopleDirectory {
  accountStatus(userId: string): Promise<'active' | 'disabled' | 'deleted'>;
}

/** What a review card shows: the request that made the app, and the app as it is now (absent when it cannot be read). */
export interface ReviewSubject {
  request: RegistrationRequest;
  inspection?: Inspection;
}

/**
 * Review cards go through the durable outbox (docs/review.md › Delivery): queued by the instance that wrote the stage,
 * sent (and retried) by whichever instance's outbox takes the row, rendered then with the app as it is then.
 */
export interface ReviewCardQueue {
  /** Queues the card of the request's current stage; queueing the same stage again finds its rows and adds none. */
  enqueue(request: RegistrationRequest): Promise<void>;
  /** Sends what is queued for the request now; a failed send stays queued for the outbox's retries. */
  deliver(requestId: string): Promise<void>;
  /** Whether Onboard has a personal chat with this person, so their card can reach them at all (said in the audit). */
  canReach(userId: string): Promise<boolean>;
}

/** Who acts when nobody answered: shown as the requester of the offboarding it proposes. */
export const REVIEW_ACTOR: Person = { id: 'onboard-review', name: "Onboard's periodic review" };
