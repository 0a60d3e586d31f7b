import { answerReview, cardQueued, enterStage, reviewLine, reviewStepDue } from '../../src/domain/review';
import { isStale, reviewDeliveries } from '../../src/domain/delivery';
import { reviewedRequest } from './reviewCardSamples';

const DAY = 86_400_000;
const settings = { intervalDays: 90, responseDays: 14 };
const provisioned = Date.parse('2026-06-01T10:00:00Z');
const at = (days: number) => new Date(provisioned + days * DAY);
const riley = { id: 'u-riley', name: 'Riley Requester' };

describe('the review stages, as pure transitions', () => {
  const fresh = { ...reviewedRequest(), review: undefined };

  it('is due exactly 90 days after provisioning, then escalates after 14 days per stage', () => {
    expect(reviewStepDue(fresh, new Date(at(90).getTime() - 1), settings)).toBeUndefined();
    expect(reviewStepDue(fresh, at(90), settings)).toEqual({ kind: 'ask-requester' });
    const asked = cardQueued(enterStage(fresh, 'asked-requester', at(90)));
    expect(reviewStepDue(asked, at(103), settings)).toBeUndefined();
    expect(reviewStepDue(asked, at(104), settings)).toEqual({ kind: 'ask-approvers', because: 'no-answer' });
    const escalated = cardQueued(enterStage(asked, 'asked-approvers', at(104)));
    expect(reviewStepDue(escalated, at(118), settings)).toEqual({ kind: 'propose-offboard' });
    // Written but not yet submitted (an instance stopped in between): proposed again on the next sweep, never skipped.
    expect(reviewStepDue(enterStage(escalated, 'proposed-offboard', at(118)), at(118), settings)).toEqual({ kind: 'propose-offboard' });
  });

  it('queues a stage\'s card until the marker is cleared; each stage and cycle is its own row; a card is stale once its stage is over', () => {
    const written = enterStage(fresh, 'asked-requester', at(90));
    // The instance that wrote the stage died before queueing: the next sweep queues the card, whatever the time.
    expect(reviewStepDue(written, at(90), settings)).toEqual({ kind: 'queue-card' });
    const [card] = reviewDeliveries(written, at(90));
    expect(card).toMatchObject({ kind: 'review', recipient: { kind: 'person', userId: fresh.requester.id } });
    expect(reviewDeliveries(written, at(95))[0].key).toBe(card.key);
    expect(isStale(card, written)).toBe(false);

    const answered = answerReview(written, 'still-needed', riley, at(91));
    if (!answered.ok) throw new Error('refused');
    expect(reviewStepDue(answered.request, at(91), settings)).toBeUndefined();
    expect(isStale(card, answered.request)).toBe(true);

    const escalated = enterStage(cardQueued(written), 'asked-approvers', at(104));
    expect(isStale(card, escalated)).toBe(true);
    const [fanout] = reviewDeliveries(escalated, at(104));
    expect(fanout).toMatchObject({ kind: 'review-escalation', recipient: { kind: 'fanout' } });
    // The next cycle, 90 days after a "Still needed": a new row for the same person.
    const nextCycle = enterStage(answered.request, 'asked-requester', at(181));
    expect(reviewDeliveries(nextCycle, at(181))[0].key).not.toBe(card.key);
    expect(isStale(card, nextCycle)).toBe(true);
  });

  it('never reviews a rotation, a drift fix, or a request whose saga made no app', () => {
    expect(reviewStepDue({ ...fresh, rotation: { ofRequestId: 'REQ-X', appId: 'a', oldKeyIds: [] } }, at(400), settings)).toBeUndefined();
    expect(reviewStepDue({ ...fresh, plan: { kind: 'drift-fix' } }, at(400), settings)).toBeUndefined();
    expect(reviewStepDue({ ...fresh, provisioning: undefined }, at(400), settings)).toBeUndefined();
    expect(reviewStepDue({ ...fresh, state: 'Failed' }, at(400), settings)).toBeUndefined();
  });

  it('takes an answer only while someone is asked; Still needed starts a new period', () => {
    expect(answerReview(fresh, 'still-needed', riley, at(10))).toEqual({ ok: false, refusal: { code: 'not-asked' } });
    const answered = answerReview(enterStage(fresh, 'asked-requester', at(90)), 'still-needed', riley, at(95));
    if (!answered.ok) throw new Error('refused');
    expect(reviewStepDue(answered.request, at(184), settings)).toBeUndefined();
    expect(reviewStepDue(answered.request, at(185), settings)).toEqual({ kind: 'ask-requester' });
    expect(reviewLine(answered.request, at(100), settings)).toBe('Review: last reviewed 2026-09-04 by Riley Requester; next review due 2026-12-03.');
  });
});
