import type { RegistrationRequest } from '../../domain/request';
import { renderCard } from '../cards';
import type { PlanView } from './planView';
import { requestView, type Viewer } from './requestView';

/** The request card for one viewer (their role, and who they are when known), from the stored request and its plan. */
export function createRequestRenderer(toPlanView: (request: RegistrationRequest) => PlanView) {
  return (request: RegistrationRequest, viewer: Viewer, viewerId?: string) => renderCard('request', requestView(request, toPlanView(request), viewer, '', viewerId));
}
