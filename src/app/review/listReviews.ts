import { isReviewable, nextReviewDue, reviewLine, type ReviewSettings } from '../../domain/review';
import type { Person, RegistrationRequest } from '../../domain/request';
import { resolveActor, type Groups } from '../approvals/actors';
import type { Clock } from '../ports';
import type { Membership, RequestStore } from '../workflowPorts';

export interface DueReview {
  request: RegistrationRequest;
  dueAt: string;
  overdue: boolean;
  line: string;
}

export type ListReviewsResult = { kind: 'listed'; reviews: DueReview[] } | { kind: 'refused'; message: string };

/** `reviews`: the apps whose review is due or overdue, oldest first; approvers only, since it names requesters. */
export class ListReviews {
  constructor(private readonly deps: { requests: RequestStore; membership: Membership; groups: Groups; clock: Clock; settings: ReviewSettings }) {}

  async execute(person: Person): Promise<ListReviewsResult> {
    const actor = await resolveActor(person, this.deps.membership, this.deps.groups);
    if (!actor.isApprover) return { kind: 'refused', message: 'Only members of the Onboard Approvers group can list reviews. Type **status** for your own requests; review cards for your apps come to this chat.' };
    const now = this.deps.clock.now();
    const reviews = (await this.deps.requests.listInStates(['Provisioned', 'SecretDelivered']))
      .map(({ value }) => value)
      .filter((r) => isReviewable(r) && (r.review?.stage || nextReviewDue(r, this.deps.settings) <= now))
      .map((request) => {
        const due = nextReviewDue(request, this.deps.settings);
        return { request, dueAt: due.toISOString(), overdue: !!request.review?.stage, line: reviewLine(request, now, this.deps.settings) ?? '' };
      })
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    return { kind: 'listed', reviews };
  }
}
