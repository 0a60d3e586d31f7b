import type { RegistrationRequest } from '../../domain/request';

/** What the requester reads in their chat when someone decides. */
export function decisionMessage(request: RegistrationRequest, outcome: 'approved' | 'approval-recorded' | 'rejected'): string {
  const last = request.approvals.at(-1)?.by.name ?? 'an approver';
  switch (outcome) {
    case 'approved':
      return `${request.id} (${request.title}) was approved by ${last}. Provisioning starts now; this card will show each step.`;
    case 'approval-recorded':
      return `${request.id} (${request.title}) was approved by ${last}. It needs ${request.requiredApprovals - request.approvals.length} more approval(s) because it is high risk.`;
    case 'rejected':
      return `${request.id} (${request.title}) was rejected by ${request.rejection?.by.name}: ${request.rejection?.reason}`;
  }
}
