import { stateLabel, type RegistrationRequest } from '../../domain/request';
import { escapeMarkdown as md } from './markdown';
import type { AuditEvent } from '../../app/workflowPorts';

const stamp = (iso: string) => iso.replace('T', ' ').slice(0, 16);
const stateColor = (r: RegistrationRequest) => (r.state === 'Rejected' || r.state === 'Failed' ? 'Attention' : r.state === 'PendingApproval' ? 'Warning' : r.state === 'SecretDelivered' || r.state === 'Provisioned' ? 'Good' : 'Default');

export function requestListView(requests: RegistrationRequest[], heading = 'Your requests') {
  return {
    heading,
    emptyText: 'You have no requests yet. Try **onboard miradore**.',
    requests: requests.map((r) => ({ id: r.id, title: md(r.title), updated: `updated ${stamp(r.updatedAt)} UTC`, state: stateLabel(r.state), stateColor: stateColor(r) })),
  };
}

export function auditView(requestId: string, events: AuditEvent[]) {
  return {
    requestId,
    events: events.map((e) => ({ at: `${stamp(e.at)} UTC`, action: e.action, actor: e.actor ? md(e.actor.name) : 'Onboard', detail: md(e.detail), outcome: e.outcome, outcomeColor: e.outcome === 'ok' ? 'Good' : 'Attention' })),
  };
}
