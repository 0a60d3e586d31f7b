import type { RegistrationRequest } from '../../domain/request';
import { isOffboardPlan } from '../../domain/offboarding';

/** What the requester reads in their chat when someone decides. */
export function decisionMessage(request: RegistrationRequest, outcome: 'approved' | 'approval-recorded' | 'rejected'): string {
  const last = request.approvals.at(-1)?.by.name ?? 'an approver';
  switch (outcome) {
    case 'approved':
      // Approving an offboarding disables an app: the message must not promise that anything is being created.
      if (isOffboardPlan(request.plan)) return `${request.id} (${request.title}) was approved by ${last}. Onboard disables the app's sign-in now; this card will show when it is done and when removal is due.`;
      return `${request.id} (${request.title}) was approved by ${last}. Provisioning starts now; this card will show each step.`;
    case 'approval-recorded':
      return `${request.id} (${request.title}) was approved by ${last}. It needs ${request.requiredApprovals - request.approvals.length} more approval(s) because it is high risk.`;
    case 'rejected':
      return `${request.id} (${request.title}) was rejected by ${request.rejection?.by.name}: ${request.rejection?.reason}`;
  }
}
