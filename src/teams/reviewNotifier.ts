import type { ReviewNotifier, ReviewSubject } from '../app/review/reviewPorts';
import type { ReviewSettings } from '../domain/review';
import { renderCard } from './cards';
import type { TeamsRequestNotifier } from './notifier';
import { reviewView } from './views/reviewView';

/** Review cards over Teams: the requester's personal chat, or where approval cards go (the channel, else each approver). */
export class TeamsReviewNotifier implements ReviewNotifier {
  constructor(private readonly teams: Pick<TeamsRequestNotifier, 'toPerson' | 'toApprovers'>, private readonly settings: ReviewSettings) {}

  toRequester(subject: ReviewSubject): Promise<boolean> {
    return this.teams.toPerson(subject.request.requester.id, renderCard('review', reviewView(subject, 'requester', this.settings)));
  }

  toApprovers(subject: ReviewSubject, because: 'no-answer' | 'requester-left'): Promise<number> {
    return this.teams.toApprovers(renderCard('review', reviewView(subject, 'approvers', this.settings, because)));
  }
}
