/** What each audit event is called on cards; the stored code (and the CLI export) keeps the dotted name. */
const names: Record<string, string> = {
  submit: 'Submit',
  submitted: 'Submitted for approval',
  approve: 'Approve',
  approved: 'Approved',
  'approval-recorded': 'Approval recorded',
  reject: 'Reject',
  rejected: 'Rejected',
  cancel: 'Cancel',
  cancelled: 'Cancelled',
  expired: 'Expired without a decision',
  'approval.approve': 'Approve clicked',
  'approval.reject': 'Reject clicked',
  'request.submit': 'Submit clicked',
  'request.cancel': 'Cancel clicked',
  'request.choose': 'Preview updated',
  'request.discard': 'Preview cancelled',
  'provisioning.started': 'Provisioning started',
  'provisioning.resumed': 'Provisioning resumed',
  'provisioning.failed': 'Provisioning failed',
  'secret.link.issued': 'One-time secret link issued',
  'secret.link.sent': 'One-time secret link sent',
  'secret.link.waiting': 'Secret link waits for a personal chat',
  'secret.link.viewed': 'Secret link page opened',
  'secret.link.expired': 'Secret link expired unused',
  'secret.link.cleanup': 'Secret link clean-up',
  'secret.revealed': 'Secret revealed',
  'secret.purged': 'Secret purged from the vault',
  'secret.withdrawn': 'Secret withdrawn',
  'secret.not-delivered': 'Secret not delivered',
  'secret.rotate': 'Rotate clicked',
  'secret.rotation.confirm': 'Old secret removal confirmed',
  'rotation.request': 'Rotation asked for',
  'rotation.requested': 'Rotation submitted for approval',
  'rotation.confirm': 'Old secret removal asked for',
  'rotation.finished': 'Old secret removed',
  'drift.fix': 'Drift fix',
  'drift.fix.requested': 'Drift fix submitted for approval',
  'drift.fixed': 'Drift fixed',
  'drift.fix.failed': 'Drift fix failed',
  'set approvals channel': 'Approvals channel set',
  'expiry-watch': 'Expiry watch',
};

/** "secret.link.viewed" → "Secret link page opened"; an unknown code still reads as words. */
export function auditEventName(code: string): string {
  if (names[code]) return names[code];
  const words = code.replace(/^helpdesk\./, 'helpdesk ').replace(/[._-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Event';
}
