import { renderCard } from '../../src/teams/cards';
import { offboardPlan, type OffboardPlan } from '../../src/domain/offboarding';
import type { PlannedPermission } from '../../src/domain/plan';
import { approve, submitRequest, type RegistrationRequest } from '../../src/domain/request';
import { requestView, type Viewer } from '../../src/teams/views/requestView';
import { storedPlanView } from '../../src/teams/views/storedPlanView';
import { appChoiceView } from '../../src/teams/views/appChoiceView';

const now = new Date('2026-11-22T09:00:00Z');
const later = new Date('2026-11-22T09:20:00Z');
const ann = { id: 'u-ann', name: 'Ann Approver' };
const riley = { id: 'u-riley', name: 'Riley Requester' };
const graph = '00000003-0000-0000-c000-000000000000';

const miradoreHolds: PlannedPermission[] = [
  { resourceAppId: graph, resource: 'Microsoft Graph', name: 'User.Read.All', type: 'Application', id: 'df021288-bdef-4463-88db-98f22de89214', adminConsentRequired: true, risk: 'medium', adminDisplayName: 'Read all users\' full profiles' },
  { resourceAppId: graph, resource: 'Microsoft Graph', name: 'Group.Read.All', type: 'Application', id: '5b567255-7703-4780-807c-7be8301ae99b', adminConsentRequired: true, risk: 'medium', adminDisplayName: 'Read all groups' },
];

export function samplePlan(holds: PlannedPermission[] = miradoreHolds, displayName = 'Miradore'): OffboardPlan {
  return offboardPlan({
    app: { appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', id: '3f0b6c1e-8a2d-4e7f-9b1c-5d6e7f8a9b0c', displayName, servicePrincipalId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' },
    ofRequestId: 'REQ-MADE1234', graceDays: 14, holds: { permissions: holds, passwords: 1, certificates: 0 },
  });
}

export function offboardRequest(plan: OffboardPlan = samplePlan(), requester = riley): RegistrationRequest {
  return submitRequest({ id: 'REQ-OFF12345', requester, title: `Offboard: ${plan.displayName}`, vendor: 'Offboard', text: `offboard ${plan.displayName}`, plan, planHash: plan.planHash, risk: plan.risk, requiredApprovals: 1, expiresAfterMs: 7 * 86_400_000 }, now) as RegistrationRequest;
}

/** The offboard request at each point people see it: pending, sign-in disabled, removed, restored. */
export function offboardStates(request: RegistrationRequest = offboardRequest()): { name: string; request: RegistrationRequest }[] {
  const approved = approve(request, ann, later);
  if (!approved.ok) throw new Error('sample approval failed');
  const at = later.toISOString();
  const disabled: RegistrationRequest = { ...approved.request, state: 'Disabled', offboarding: { disabledAt: at, removeAfter: '2026-12-06T09:20:00.000Z' } };
  const removal = { appRoleAssignments: { at, removed: 2 }, delegatedGrants: { at, removed: 0 }, passwords: { at, removed: 1 }, certificates: { at, removed: 0 }, application: { at: '2026-12-06T09:21:00.000Z', removed: 1 } };
  return [
    { name: 'pending', request },
    { name: 'disabled', request: disabled },
    { name: 'restore-ordered', request: { ...disabled, offboarding: { ...disabled.offboarding, restore: { by: ann, at, mac: 'x' } } } },
    { name: 'offboarded', request: { ...disabled, state: 'Offboarded', offboarding: { ...disabled.offboarding, removal, verifiedAt: '2026-12-06T09:22:00.000Z' } } },
    { name: 'restore-after-removal-ordered', request: { ...disabled, state: 'Offboarded', offboarding: { ...disabled.offboarding, removal, verifiedAt: at, restore: { by: ann, at, mac: 'x' } } } },
    { name: 'restored-from-deleted-items', request: { ...disabled, state: 'Restored', offboarding: { ...disabled.offboarding, removal, verifiedAt: at, restore: { by: ann, at, mac: 'x' }, broughtBack: { application: at, servicePrincipal: at }, regrantRequestId: 'REQ-REGRANT1', reEnabledAt: at } } },
    { name: 'restored', request: { ...disabled, state: 'Restored', offboarding: { ...disabled.offboarding, restore: { by: ann, at, mac: 'x' }, reEnabledAt: at } } },
  ];
}

export function offboardCardSamples(): { name: string; card: Record<string, unknown> }[] {
  const viewers: Viewer[] = ['approver', 'requester', 'other'];
  return [
    ...offboardStates().flatMap(({ name, request }) => viewers.map((viewer) => ({ name: `request-offboard-${name}-${viewer}`, card: renderCard('request', requestView(request, storedPlanView(request), viewer)) }))),
    { name: 'appChoice-offboard', card: renderCard('appChoice', appChoiceView({ kind: 'ambiguous', target: 'Contoso', choices: [{ appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', displayName: 'Contoso HR Portal' }, { appId: '1a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', displayName: 'Contoso Mobile' }] }, (app) => `offboard ${app}`)) },
  ];
}
