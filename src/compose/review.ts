import type { createGraphClient } from '../adapters/graph/graphClient';
import type { Logger } from '../logging';
import type { Clock } from '../app/ports';
import type { Groups } from '../app/approvals/actors';
import type { AuditLog, Membership, RequestNotifier, RequestStore } from '../app/workflowPorts';
import type { PolicySettings } from '../domain/policy';
import { reviewLine, type ReviewSettings } from '../domain/review';
import type { RegistrationRequest } from '../domain/request';
import type { InspectApp } from '../app/helpdesk/inspectApp';
import type { OffboardRequester } from '../app/offboarding/offboardPorts';
import { GraphPeopleDirectory } from '../adapters/graph/graphPeopleDirectory';
import { SweepReviews } from '../app/review/sweepReviews';
import { ReviewSweeper } from '../app/review/reviewSweeper';
import { AnswerReview } from '../app/review/answerReview';
import { ListReviews } from '../app/review/listReviews';
import type { ReviewCardQueue } from '../app/review/reviewPorts';

export interface ReviewDeps {
  graph?: ReturnType<typeof createGraphClient>['client'];
  requests: RequestStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  membership: Membership;
  groups: Groups;
  policy: PolicySettings;
  notifier: RequestNotifier;
  /** The outbox side of review cards (compose/bot.ts: the same outbox as approval cards). */
  cards: ReviewCardQueue;
  settings: ReviewSettings;
  expiryMs: number;
  inspect?: InspectApp;
  offboard?: OffboardRequester;
}

/** The periodic review, in the bot (it sends cards): its sweeper and the use cases the Teams handlers call; nothing without Graph. */
export function composeReview(deps: ReviewDeps) {
  if (!deps.graph) return {};
  const { requests, audit, clock, settings } = deps;
  const sweep = new SweepReviews({
    requests, audit, clock, settings, people: new GraphPeopleDirectory(deps.graph), cards: deps.cards, offboard: deps.offboard,
  });
  return {
    reviewSweeper: new ReviewSweeper(sweep, deps.logger),
    reviews: {
      answer: new AnswerReview({ requests, audit, clock, membership: deps.membership, groups: deps.groups, notifier: deps.notifier, policy: deps.policy, expiryMs: deps.expiryMs, inspect: deps.inspect, offboard: deps.offboard }),
      list: new ListReviews({ requests, membership: deps.membership, groups: deps.groups, clock, settings }),
      line: (request: RegistrationRequest) => reviewLine(request, clock.now(), settings),
    },
  };
}
