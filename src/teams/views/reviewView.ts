import type { ReviewSubject } from '../../app/review/reviewPorts';
import { permissionKey } from '../../app/review/requestReduction';
import type { DueReview } from '../../app/review/listReviews';
import { nextReviewDue, reviewPeriodStart, type ReviewSettings } from '../../domain/review';
import { escapeMarkdown as md } from './markdown';
import { clip, pageOf } from './paging';
import { verbs } from '../verbs';

/** Rows shown on the review card; the rest are counted. Keeps the worst case (long names on every row) far under Teams' size limit. */
const MAX_ROWS = 40;
/** A card input carries at most 300 characters: 9 per chosen digest, so at most 33 choices fit. */
const MAX_REMOVABLE = 30;
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'never');

/** The review card: what the app holds now, its credentials, and the three answers. */
export function reviewView(subject: ReviewSubject, audience: 'requester' | 'approvers', settings: ReviewSettings, because?: 'no-answer' | 'requester-left') {
  const { request, inspection } = subject;
  const review = request.review;
  const name = md(clip(inspection?.app.displayName ?? request.title));
  const why = audience === 'requester'
    ? `You asked for ${name} (${request.id}). Every ${settings.intervalDays} days Onboard asks whether it is still needed. If nobody answers within ${settings.responseDays} days, the approvers are asked.`
    : because === 'requester-left'
      ? `${md(request.requester.name)}, who asked for ${name} (${request.id}), has left (their account is ${review?.requesterLeft ?? 'gone'}), so the approvers are asked. If nobody answers within ${settings.responseDays} days, Onboard proposes offboarding it, through the normal approval.`
      : `${md(request.requester.name)} did not answer the review of ${name} (${request.id}) within ${settings.responseDays} days. If nobody answers within another ${settings.responseDays} days, Onboard proposes offboarding it, through the normal approval.`;
  const rows = inspection?.permissions ?? [];
  const permissions = rows.slice(0, MAX_ROWS).map((p) => ({ text: `${md(clip(p.name, 80))} (${p.type}, ${md(clip(p.resource, 60))}): ${p.granted === 'no' ? 'requested, not granted' : p.granted === 'admin' ? 'granted' : `consented by ${p.perUserCount} people`}` }));
  const removable = rows.filter((p) => p.granted !== 'no').slice(0, MAX_REMOVABLE).map((p) => ({ title: `${clip(p.name, 80)} (${p.type}, ${clip(p.resource, 60)})`, value: permissionKey(p) }));
  const credentials = (inspection?.credentials ?? []).slice(0, 10).map((c) => ({ text: `${c.kind === 'secret' ? `Secret ${md(c.hint)}` : 'Certificate'}: ${c.state === 'expired' ? `expired ${day(c.end)}` : `ends ${day(c.end)}`}` }));
  return {
    heading: `Review: is ${name} still needed?`,
    why,
    facts: [
      { title: 'App ID', value: inspection?.app.appId ?? '' },
      { title: 'Asked for by', value: md(request.requester.name) },
      { title: 'Last reviewed', value: review?.lastReviewed ? `${day(review.lastReviewed.at)} by ${md(review.lastReviewed.by.name)}` : `not yet (in use since ${day(reviewPeriodStart(request))})` },
      { title: 'Review due', value: day(nextReviewDue(request, settings).toISOString()) },
    ],
    permissions: permissions.length ? permissions : [{ text: inspection ? 'None.' : 'Onboard could not read the app just now; type **check [app]** to see it.' }],
    hasMore: rows.length > MAX_ROWS,
    more: `and ${rows.length - MAX_ROWS} more: type **check ${inspection?.app.appId ?? request.title}** to see them all.`,
    credentials: credentials.length ? credentials : [{ text: 'None.' }],
    canReduce: removable.length > 0,
    removable,
    footer: 'Still needed: asked again in the next review period. Reduce permissions and Offboard go to the approvers, as any request does; nothing changes until they approve.',
    requestId: request.id,
    verbs: { reviewStillNeeded: verbs.reviewStillNeeded, reviewReduce: verbs.reviewReduce, reviewOffboard: verbs.reviewOffboard },
  };
}

/** `reviews`: what is due and overdue, oldest first, paged. */
export function reviewListView(reviews: DueReview[], page = 0) {
  const items = reviews.map((r) => ({
    app: md(clip(r.request.title)), requestId: r.request.id, requester: md(clip(r.request.requester.name, 80)), line: md(r.line), color: r.overdue ? 'Attention' : 'Default',
  }));
  const { items: shown, pager } = pageOf(items, 'reviews', page, { subject: 'reviews' });
  const overdue = reviews.filter((r) => r.overdue).length;
  return {
    heading: 'Reviews due and overdue',
    summary: reviews.length ? `${reviews.length} app(s): ${overdue} waiting for an answer, ${reviews.length - overdue} due now.` : 'None: every Onboard-made app has been reviewed within its period.',
    items: shown,
    pager,
    footer: 'Review cards go to each app\'s requester; approvers are asked when the requester has left or does not answer.',
  };
}
