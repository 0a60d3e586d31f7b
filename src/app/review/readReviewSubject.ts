import { createdApplicationOf } from '../../domain/appOrigin';
import type { RegistrationRequest } from '../../domain/request';
import type { InspectApp } from '../helpdesk/inspectApp';
import { REVIEW_ACTOR, type ReviewSubject } from './reviewPorts';

/**
 * What a review card shows, read when the card is sent (a retry shows the app as it is then): the helpdesk
 * inspection as the review reads it. Without it (Graph unreadable just now) the card says so and still asks.
 */
export class ReadReviewSubject {
  constructor(private readonly inspect?: InspectApp) {}

  async execute(request: RegistrationRequest): Promise<ReviewSubject> {
    const app = createdApplicationOf(request);
    if (!app || !this.inspect) return { request };
    const outcome = await this.inspect.execute({ target: app.appId, actor: { ...REVIEW_ACTOR, isApprover: false, isHelpdesk: true } }).catch(() => undefined);
    return { request, inspection: outcome?.kind === 'found' ? outcome.inspection : undefined };
  }
}
