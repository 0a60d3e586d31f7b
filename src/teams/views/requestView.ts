import { isTerminal, stateLabel, type RegistrationRequest, type RequestState } from '../../domain/request';
import { verbs } from '../verbs';
import { riskSummary, type PlanView } from './planView';

export type Viewer = 'approver' | 'requester' | 'other';

const stateColors: Record<RequestState, string> = {
  PendingApproval: 'Warning', Approved: 'Accent', Provisioning: 'Accent', Provisioned: 'Good', SecretDelivered: 'Good',
  Rejected: 'Attention', Cancelled: 'Default', Expired: 'Default', Failed: 'Attention',
};

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC';

/**
 * The request card's view model, for one viewer. Approvers get the decision buttons, the
 * requester gets Cancel, everyone else a read-only view; the server re-checks every click anyway.
 */
export function requestView(request: RegistrationRequest, plan: PlanView, viewer: Viewer, note = '') {
  const pending = request.state === 'PendingApproval';
  const approvals = request.approvals.map((a) => a.by.name).join(', ');
  const facts = [
    { title: 'Request', value: request.id },
    { title: 'Requested by', value: request.requester.name },
    { title: 'Submitted', value: when(request.createdAt) },
    ...(pending ? [{ title: 'Expires', value: when(request.expiresAt) }] : []),
    ...(request.requiredApprovals > 1 ? [{ title: 'Approvals', value: `${request.approvals.length} of ${request.requiredApprovals}${approvals ? ` (${approvals})` : ''}` }] : []),
  ];
  return {
    heading: plan.appName,
    subheading: plan.summary,
    stateLabel: stateLabel(request.state),
    stateColor: stateColors[request.state],
    facts,
    notice: outcome(request),
    noticeColor: request.state === 'Rejected' || request.state === 'Failed' ? 'Attention' : 'Default',
    progressText: request.progress && !isTerminal(request.state) ? `Step ${request.progress.step} of ${request.progress.total}: ${request.progress.label}` : '',
    riskSummary: riskSummary(plan.permissions),
    permissions: plan.permissions,
    shape: plan.shape,
    secretText: plan.secretText,
    followUps: plan.followUps,
    viewerNote: note || (request.selfApprovalAllowed ? 'Local profile: self-approval is allowed for trying Onboard alone.' : ''),
    canApprove: pending && viewer === 'approver',
    canCancel: pending && viewer === 'requester',
    requestId: request.id,
    planHash: request.planHash,
    verbs,
  };
}

function outcome(request: RegistrationRequest): string {
  switch (request.state) {
    case 'Approved':
      return `Approved by ${request.approvals.map((a) => a.by.name).join(' and ')}.`;
    case 'Rejected':
      return `Rejected by ${request.rejection?.by.name}: ${request.rejection?.reason}`;
    case 'Cancelled':
      return `Cancelled by ${request.cancellation?.by.name}.`;
    case 'Expired':
      return 'Expired without a decision. Submit it again if it is still needed.';
    case 'Failed':
      return `Provisioning failed: ${request.failure?.message ?? 'unknown error'}`;
    default:
      return '';
  }
}
