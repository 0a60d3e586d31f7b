import type { Actor } from './policy';
import type { RegistrationRequest } from './request';

export type RequestViewer = 'requester' | 'approver' | 'other';

/**
 * Who may see a request, and as whom: its requester, the approvers and the helpdesk; nobody else.
 * `status REQ-…` and the card's refresh verb both ask here, so neither is a side door for the other.
 */
export function requestViewer(request: Pick<RegistrationRequest<unknown>, 'requester'>, actor: Pick<Actor, 'id' | 'isApprover' | 'isHelpdesk'>): RequestViewer | undefined {
  if (request.requester.id === actor.id) return 'requester';
  if (actor.isApprover) return 'approver';
  if (actor.isHelpdesk) return 'other';
  return undefined;
}

export const notYours = (requestId: string) => `${requestId} is not yours. Its requester, the approvers and the helpdesk can see it.`;
