import { stateLabel, type RegistrationRequest } from '../../domain/request';
import { escapeMarkdown as md } from './markdown';
import type { AuditEvent } from '../../app/workflowPorts';
import { clip, pageOf } from './paging';
import { verbs } from '../verbs';
import { auditEventName } from './auditNames';

const stamp = (iso: string) => iso.replace('T', ' ').slice(0, 16);
const stateColor = (r: RegistrationRequest) => (r.state === 'Rejected' || r.state === 'Failed' ? 'Attention' : r.state === 'PendingApproval' || r.state === 'Disabled' ? 'Warning' : ['SecretDelivered', 'Provisioned', 'Offboarded', 'Restored'].includes(r.state) ? 'Good' : 'Default');

/** The newest requests fit on a card; older ones are one `status REQ-…` away. */
const MAX_LISTED_REQUESTS = 20;

/** A list of requests; each opens its own card (the viewer's view of it) in place of the list. */
export function requestListView(requests: RegistrationRequest[], heading = 'Your requests', emptyText = 'You have no requests yet. Try **onboard miradore**.') {
  const newest = [...requests].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, MAX_LISTED_REQUESTS);
  return {
    heading,
    emptyText,
    verbs,
    more: requests.length > MAX_LISTED_REQUESTS ? `The ${MAX_LISTED_REQUESTS} most recently changed of ${requests.length}. Type **status REQ-…** for any other.` : '',
    requests: newest.map((r) => ({
      id: r.id, title: md(clip(r.title, 120)), planHash: r.planHash, state: stateLabel(r.state), stateColor: stateColor(r),
      updated: r.state === 'PendingApproval' ? `asked by ${md(clip(r.requester.name, 80))} · ${stamp(r.createdAt)} UTC` : `updated ${stamp(r.updatedAt)} UTC`,
    })),
  };
}

/** One page of a request's audit trail; the whole trail is one command away on the command line. */
export function auditView(requestId: string, events: AuditEvent[], page = 0) {
  const { items, pager } = pageOf(events, 'audit', page, { subject: requestId });
  return {
    requestId,
    events: items.map((e) => ({ at: `${stamp(e.at)} UTC`, action: auditEventName(e.action), actor: md(clip(e.actor?.name ?? 'Onboard', 80)), detail: md(clip(e.detail ?? '', 200)), outcome: e.outcome, outcomeColor: e.outcome === 'ok' ? 'Good' : 'Attention' })),
    pager,
    exportHint: `Every event as JSON lines, for an archive or a SIEM: **onboard audit export** on the command line (each line names its requestId, here ${requestId}).`,
  };
}
