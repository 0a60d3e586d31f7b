import { renderCard } from '../../src/teams/cards';
import type { Inspection } from '../../src/app/helpdesk/inspectApp';
import type { DueReview } from '../../src/app/review/listReviews';
import type { RegistrationRequest } from '../../src/domain/request';
import { reviewListView, reviewView } from '../../src/teams/views/reviewView';
import { sampleInspection } from '../helpdesk/helpdeskCardSamples';

const settings = { intervalDays: 90, responseDays: 14 };

/** An app Onboard made (its saga's record names it), provisioned in June and asked about in September. */
export function reviewedRequest(requesterName = 'Riley Requester', title = 'Miradore'): RegistrationRequest {
  const app = sampleInspection().app;
  return {
    id: 'REQ-7K2M9Q', state: 'SecretDelivered', requester: { id: 'u-riley', name: requesterName }, title, text: 'onboard miradore', plan: {}, planHash: 'a'.repeat(64),
    risk: 'high', requiredApprovals: 1, approvals: [], createdAt: '2026-06-01T09:00:00Z', updatedAt: '2026-09-01T09:00:00Z', expiresAt: '2026-06-08T09:00:00Z', history: [],
    provisioning: { key: 'k', attempt: 1, startedAt: '2026-06-01T09:00:00Z', completedAt: '2026-06-01T10:00:00Z', steps: { application: { appId: app.appId, id: app.id, at: '2026-06-01T10:00:00Z' } } } as never,
    review: { since: '2026-06-01T10:00:00Z', stage: 'asked-requester', stageAt: '2026-08-30T10:00:00Z' },
  };
}

export function reviewCard(request: RegistrationRequest, inspection: Inspection | undefined, audience: 'requester' | 'approvers', because?: 'no-answer' | 'requester-left') {
  return renderCard('review', reviewView({ request, inspection }, audience, settings, because));
}

export function reviewListCard(reviews: DueReview[], page = 0) {
  return renderCard('reviewList', reviewListView(reviews, page));
}

export function reviewCardSamples(): { name: string; card: Record<string, unknown> }[] {
  const request = reviewedRequest();
  const inspection = sampleInspection();
  const due: DueReview = { request, dueAt: '2026-08-30T10:00:00Z', overdue: true, line: 'Review overdue since 2026-08-30: asked Riley Requester on 2026-08-30; not reviewed yet.' };
  return [
    { name: 'review:requester', card: reviewCard(request, inspection, 'requester') },
    { name: 'review:approvers-no-answer', card: reviewCard({ ...request, review: { ...request.review!, stage: 'asked-approvers' } }, inspection, 'approvers', 'no-answer') },
    { name: 'review:approvers-requester-left', card: reviewCard({ ...request, review: { ...request.review!, stage: 'asked-approvers', requesterLeft: 'disabled' } }, inspection, 'approvers', 'requester-left') },
    { name: 'review:app-unreadable', card: reviewCard(request, undefined, 'requester') },
    { name: 'reviewList', card: reviewListCard([due]) },
    { name: 'reviewList:empty', card: reviewListCard([]) },
  ];
}
