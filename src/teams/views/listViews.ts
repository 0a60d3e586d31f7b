import { stateLabel, type RegistrationRequest } from '../../domain/request';
import type { AuditEvent } from '../../app/workflowPorts';
import { verbs } from '../verbs';
import { auditEventName } from './auditNames';

const stamp = (iso: string) => iso.replace('T', ' ').slice(0, 16);
const stateColor = (r: RegistrationRequest) => (r.state === 'Rejected' || r.state === 'Failed' ? 'Attention' : r.state === 'PendingApproval' ? 'Warning' : r.state === 'SecretDelivered' || r.state === 'Provisioned' ? 'Good' : 'Default');

/** A list of requests; each opens its own card (the viewer's view of it) in place of the list. */
export function requestListView(requests: RegistrationRequest[], heading = 'Your requests', emptyText = 'You have no requests yet. Try **onboard miradore**.') {
  return {
    heading,
    emptyText,
    verbs,
    requests: requests.map((r) => ({
      id: r.id, title: r.title, planHash: r.planHash, state: stateLabel(r.state), stateColor: stateColor(r),
      updated: r.state === 'PendingApproval' ? `asked by ${r.requester.name} · ${stamp(r.createdAt)} UTC` : `updated ${stamp(r.updatedAt)} UTC`,
    })),
  };
}

export function auditView(requestId: string, events: AuditEvent[]) {
  return {
    requestId,
    events: events.map((e) => ({ at: `${stamp(e.at)} UTC`, action: auditEventName(e.action), actor: e.actor?.name ?? 'Onboard', detail: e.detail ?? '', outcome: e.outcome, outcomeColor: e.outcome === 'ok' ? 'Good' : 'Attention' })),
  };
}
