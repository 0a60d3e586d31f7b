import type { ReviewSubject } from '../app/review/reviewPorts';
import type { RegistrationRequest } from '../domain/request';
import type { ReviewSettings } from '../domain/review';
import { renderCard } from './cards';
import { reviewView } from './views/reviewView';

/**
 * The review card, rendered when the outbox sends it (not when it was queued), so a retry shows the app as it is
 * then. Approvers read why they are asked: the requester did not answer, or has left.
 */
export class TeamsReviewCards {
  constructor(private readonly subject: (request: RegistrationRequest) => Promise<ReviewSubject>, private readonly settings: ReviewSettings) {}

  async render(request: RegistrationRequest, audience: 'requester' | 'approvers'): Promise<Record<string, unknown>> {
    const because = audience === 'requester' ? undefined : request.review?.requesterLeft ? 'requester-left' : 'no-answer';
    return renderCard('review', reviewView(await this.subject(request), audience, this.settings, because));
  }
}
