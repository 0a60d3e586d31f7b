/** Card verbs: shared by the card view models and the action router, so a card never names a verb nobody handles. */
export const verbs = {
  submit: 'request.submit',
  discard: 'request.discard',
  choose: 'request.choose',
  cancel: 'request.cancel',
  approve: 'approval.approve',
  reject: 'approval.reject',
  refresh: 'card.refresh',
  rotate: 'secret.rotate',
  confirmRotation: 'secret.rotation.confirm',
  revoke: 'secret.revoke',
  fixDrift: 'drift.fix',
  page: 'card.page',
  reviewStillNeeded: 'review.still-needed',
  reviewReduce: 'review.reduce',
  reviewOffboard: 'review.offboard',
  offboard: 'offboard.request',
} as const;

export type Verb = (typeof verbs)[keyof typeof verbs];

export const allVerbs: readonly string[] = Object.values(verbs);
