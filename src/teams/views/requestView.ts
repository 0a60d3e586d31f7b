import { recipientOf } from '../../domain/rotation';
import { isTerminal, stateLabel, type RegistrationRequest, type RequestState } from '../../domain/request';
import { escapeMarkdown as md } from './markdown';
import { verbs } from '../verbs';
import { riskSummary, type PermissionLine, type PlanView } from './planView';
import { renderFollowUps, type RegistrationPlan } from '../../domain/plan';
import { APP_ID_PLACEHOLDER } from './storedPlanView';
import { isOffboardPlan } from '../../domain/offboarding';
import { offboardFacts, offboardOutcome } from './offboardOutcome';

export type Viewer = 'approver' | 'requester' | 'other';

const stateColors: Record<RequestState, string> = {
  PendingApproval: 'Warning', Approved: 'Accent', Provisioning: 'Accent', Provisioned: 'Good', SecretDelivered: 'Good',
  Rejected: 'Attention', Cancelled: 'Default', Expired: 'Default', Failed: 'Attention',
  Disabled: 'Warning', Offboarded: 'Good', Restored: 'Good',
};

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC';

/**
 * The request card's view model, for one viewer. Approvers get the decision buttons until they have
 * decided (then their decision), the requester gets Cancel (and, with self-approval on in the local
 * profile, the buttons too), everyone else a read-only view; the server re-checks every click anyway.
 */
export function requestView(request: RegistrationRequest, plan: PlanView, viewer: Viewer, note = '', viewerId?: string) {
  const pending = request.state === 'PendingApproval';
  const approvals = md(request.approvals.map((a) => a.by.name).join(', '));
  const mine = viewerId ? request.approvals.find((a) => a.by.id === viewerId) : undefined;
  const selfApprover = viewer === 'requester' && !!request.selfApprovalAllowed;
  const facts = [
    { title: 'Request', value: request.id },
    { title: 'Requested by', value: md(request.requester.name) },
    ...(request.justification ? [{ title: 'Why', value: md(request.justification) }] : []),
    { title: 'Submitted', value: when(request.createdAt) },
    ...(pending ? [{ title: 'Expires', value: when(request.expiresAt) }] : []),
    ...rotationFacts(request),
    ...(request.requiredApprovals > 1 ? [{ title: 'Approvals', value: `${request.approvals.length} of ${request.requiredApprovals}${approvals ? ` (${approvals})` : ''}` }] : []),
  ];
  const offboard = isOffboardPlan(request.plan) ? request.plan : undefined;
  const result = offboard ? offboardFacts(request, offboard) : resultFacts(request);
  const appId = request.provisioning?.steps.application?.appId;
  return {
    result,
    entraUrl: appId && result.length ? `https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/${appId}` : '',
    heading: pending && viewer !== 'requester' ? `${md(request.requester.name)} asks ${viewer === 'approver' ? 'you' : 'the approvers'} to approve ${plan.headings?.subject ?? plan.appName}` : plan.headings?.title ?? plan.appName,
    headings: { permissions: 'Permissions', shape: 'App registration', result: 'Registered and verified', approve: 'Approve', ...plan.headings },
    subheading: plan.summary,
    reading: plan.reading ?? '',
    notices: plan.notices ?? [],
    decisionNote: pending && mine ? `You approved this at ${when(mine.at)}. ${request.requiredApprovals - request.approvals.length} more approval(s) needed.` : '',
    stateLabel: stateLabel(request.state),
    stateColor: stateColors[request.state],
    facts,
    notice: (offboard && offboardOutcome(request, offboard)) || outcome(request),
    noticeColor: request.state === 'Rejected' || request.state === 'Failed' || request.state === 'Disabled' ? 'Attention' : 'Default',
    progressText: request.progress && !isTerminal(request.state) ? `Step ${request.progress.step} of ${request.progress.total}: ${md(request.progress.label)}` : '',
    riskSummary: riskSummary(plan.permissions),
    permissions: result.length ? markVerified(plan.permissions, request) : plan.permissions,
    shape: appId ? plan.shape.map((fact) => ({ ...fact, value: fact.value.replaceAll(md(APP_ID_PLACEHOLDER), appId) })) : plan.shape,
    secretText: result.length && !offboard ? secretOutcome(request, plan) : plan.secretText,
    followUps: result.length && appId ? renderFollowUps({ followUps: (request.plan as RegistrationPlan).followUps ?? [] }, { appId, tenantId: request.provisioning?.tenant?.id ?? '', tenantName: request.provisioning?.tenant?.displayName ?? '' }).map((text) => ({ text: md(text) })) : plan.followUps,
    // The delivery line does not hide that the requester may approve it themselves (local profile only).
    viewerNote: [note, request.selfApprovalAllowed ? 'Local profile: self-approval is allowed for trying Onboard alone.' : ''].filter(Boolean).join(' '),
    canApprove: pending && !mine && (viewer === 'approver' || selfApprover),
    canCancel: pending && viewer === 'requester',
    requestId: request.id,
    planHash: request.planHash,
    verbs,
  };
}

/**
 * A rotation says what approving it does, and who receives the secret: the approver must see when that is not
 * the person who asked for the app.
 */
function rotationFacts(request: RegistrationRequest): { title: string; value: string }[] {
  const rotation = request.rotation;
  if (!rotation) return [];
  const recipient = rotation.recipient ?? request.requester;
  const original = rotation.recipient === undefined || recipient.id === rotation.originalRequester?.id;
  return [
    { title: 'Rotation', value: `adds one client secret to the existing app ${rotation.appId} (from ${rotation.ofRequestId}); no permission or setting is changed` },
    { title: 'New secret goes to', value: original ? `${recipient.name}, who requested the app` : `${recipient.name}: NOT the app's requester${rotation.originalRequester ? ` (${rotation.originalRequester.name})` : ''}, so two approvers must agree` },
    // Approvers are who can press Fix drift: they see that the rotation left a difference alone, and which.
    ...(rotation.grantsDiffer?.length ? [{ title: 'Permissions', value: `differ from the approved plan and were left as they are: ${rotation.grantsDiffer.join('; ')}. If that is not intended, type **check ${rotation.appId}** and press **Fix drift**.` }] : []),
  ];
}

/** Once the app exists, what happened to its secret, not what will. */
function secretOutcome(request: RegistrationRequest, plan: PlanView): string {
  const password = request.provisioning?.steps.password;
  if (password) return `A client secret was issued, valid until ${password.endDateTime.slice(0, 10)}, for ${request.rotation ? recipientOf(request).name : 'the requester'} only, through a one-time link.`;
  return /^No client secret/.test(plan.secretText) ? plan.secretText : 'No client secret was issued for this app.';
}

/** The handover facts once the registration exists and was read back. */
function resultFacts(request: RegistrationRequest): { title: string; value: string }[] {
  const steps = request.provisioning?.steps;
  if (!steps?.verify || !steps.application) return [];
  const tenant = request.provisioning?.tenant;
  return [
    { title: 'Application (client) ID', value: steps.application.appId },
    ...(tenant ? [{ title: 'Directory (tenant) ID', value: tenant.id }, { title: 'Tenant', value: md(tenant.displayName) }] : []),
    { title: 'Application object ID', value: steps.application.id },
    ...(steps.servicePrincipal ? [{ title: 'Service principal object ID', value: steps.servicePrincipal.id }] : []),
    ...(steps.password ? [{ title: 'Client secret', value: `expires ${steps.password.endDateTime.slice(0, 10)}; handed to the requester through a one-time link` }] : []),
  ];
}

function markVerified(permissions: PermissionLine[], request: RegistrationRequest): PermissionLine[] {
  const verified = request.provisioning?.steps.verify?.permissions ?? [];
  return permissions.map((p) => ({ ...p, allows: `${p.allows}${verified.some((v) => v.name === p.name && v.type === p.type && v.verified) ? ' · ✓ granted and verified' : ''}` }));
}

function outcome(request: RegistrationRequest): string {
  switch (request.state) {
    case 'Approved':
      return `Approved by ${md(request.approvals.map((a) => a.by.name).join(' and '))}.`;
    case 'Rejected':
      return `Rejected by ${md(request.rejection?.by.name)}: ${md(request.rejection?.reason)}`;
    case 'Cancelled':
      return `Cancelled by ${md(request.cancellation?.by.name)}.`;
    case 'Expired':
      return 'Expired without a decision. Submit it again if it is still needed.';
    case 'Failed':
      return `Provisioning failed: ${md(request.failure?.message ?? 'unknown error')}`;
    case 'Provisioned':
      // The app works, but nobody holds a secret for it: the password was withdrawn when the vault refused it.
      return request.provisioning?.secretNotDelivered ? 'Registered, but its client secret was not delivered and has been withdrawn. Type **rotate secret for ' + request.id + '** for a new one.' : '';
    default:
      return '';
  }
}
