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

/** Sends review cards: to the requester's personal chat, or where approval cards go. */
export interface ReviewNotifier {
  /** False when the requester has no personal chat with Onboard yet. */
  toRequester(subject: ReviewSubject): Promise<boolean>;
  /** How many places the card reached. */
  toApprovers(subject: ReviewSubject, because: 'no-answer' | 'requester-left'): Promise<number>;
}

/** Who acts when nobody answered: shown as the requester of the offboarding it proposes. */
export const REVIEW_ACTOR: Person = { id: 'onboard-review', name: "Onboard's periodic review" };
