import { renderCard } from '../../src/teams/cards';
import type { Inspection } from '../../src/app/helpdesk/inspectApp';
import { inspectView } from '../../src/teams/views/inspectView';
import { appChoiceView } from '../../src/teams/views/appChoiceView';
import { inspectHoldersView } from '../../src/teams/views/inspectHoldersView';
import { expiringSecretsView } from '../../src/teams/views/expiringSecretsView';

const now = new Date('2026-11-22T09:00:00Z');

/** An Onboard-made Miradore whose Group.Read.All grant was removed, with one secret about to expire. */
export function sampleInspection(): Inspection {
  const graph = '00000003-0000-0000-c000-000000000000';
  return {
    app: {
      id: '3f0b6c1e-8a2d-4e7f-9b1c-5d6e7f8a9b0c', appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', displayName: 'Miradore', createdDateTime: '2026-06-01T10:00:00Z',
      tags: ['onboard', 'onboard:vendor:miradore', 'onboard:request:REQ-7K2M9Q'], requiredResourceAccess: [], webRedirectUris: [], publicClientRedirectUris: [], requestedAccessTokenVersion: null,
      passwords: [{ keyId: 'k1', displayName: 'Onboard REQ-7K2M9Q', hint: 'Abc', startDateTime: '2026-06-01T10:00:00Z', endDateTime: '2026-12-10T10:00:00Z' }], certificates: [],
    },
    owners: [{ id: 'o1', displayName: 'Onboard' }, { id: 'o2', displayName: 'Riley Requester' }],
    servicePrincipalId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    requestId: 'REQ-7K2M9Q', managedByOnboard: true, usesSecret: true, vendor: 'Miradore',
    permissions: [
      { resourceAppId: graph, resource: 'Microsoft Graph', resourceKnown: true, name: 'User.Read.All', id: 'df021288-bdef-4463-88db-98f22de89214', type: 'Application', requested: true, granted: 'admin', perUserCount: 0, adminConsentRequired: true, risk: 'medium' },
      { resourceAppId: graph, resource: 'Microsoft Graph', resourceKnown: true, name: 'Group.Read.All', id: '5b567255-7703-4780-807c-7be8301ae99b', type: 'Application', requested: true, granted: 'no', perUserCount: 0, adminConsentRequired: true, risk: 'medium' },
      { resourceAppId: '3f8e2d1c-7b6a-4e5d-9c8b-1a2f3e4d5c6b', resource: '3f8e2d1c-7b6a-4e5d-9c8b-1a2f3e4d5c6b', resourceKnown: false, name: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', id: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', type: 'Delegated', requested: false, granted: 'per-user', perUserCount: 2, adminConsentRequired: null, risk: 'unknown' },
    ],
    drift: {
      source: 'request REQ-7K2M9Q, as approved',
      missing: [{ resourceAppId: graph, type: 'Application', name: 'Group.Read.All', resource: 'Microsoft Graph', problem: 'requested, not granted' }],
      extra: [], shape: [{ what: 'Access token version', expected: 'default (1)', actual: '2' }],
    },
    credentials: [{ kind: 'secret', keyId: 'k1', name: 'Onboard REQ-7K2M9Q', hint: 'Abc…', start: '2026-06-01T10:00:00Z', end: '2026-12-10T10:00:00Z', state: 'expiring', daysLeft: 18 }],
    inspectedAt: now.toISOString(),
  };
}

export function helpdeskCardSamples(): { name: string; card: Record<string, unknown> }[] {
  const inspection = sampleInspection();
  const clean: Inspection = { ...inspection, requestId: undefined, managedByOnboard: false, vendor: undefined, drift: undefined, credentials: [], permissions: [] };
  return [
    { name: 'inspect-approver', card: renderCard('inspect', inspectView(inspection, { approver: true })) },
    { name: 'inspect-helpdesk-answer', card: renderCard('inspect', inspectView(inspection, { approver: false, answer: { text: 'No: Miradore requests Group.Read.All (Application), but it has not been granted.', good: false }, only: (r) => r.name === 'Group.Read.All' })) },
    { name: 'inspect-unknown-app', card: renderCard('inspect', inspectView(clean, { approver: true })) },
    { name: 'inspect-enterprise-app', card: renderCard('inspect', inspectView({ ...clean, app: { ...clean.app, kind: 'enterprise', publisherTenantId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e' }, permissions: inspection.permissions.slice(0, 1) }, { approver: false })) },
    { name: 'appChoice-ambiguous', card: renderCard('appChoice', appChoiceView({ kind: 'ambiguous', target: 'contoso', choices: [{ id: 'a', appId: '11111111-1111-4111-8111-111111111111', displayName: 'Contoso HR Portal', createdDateTime: '2024-01-15T09:00:00Z' }, { id: 'b', appId: '22222222-2222-4222-8222-222222222222', displayName: 'Contoso Mobile', createdDateTime: null }] })) },
    { name: 'appChoice-not-found', card: renderCard('appChoice', appChoiceView({ kind: 'not-found', target: 'payrol sink', suggestions: ['Payroll Sync (legacy)'] })) },
    {
      name: 'inspectHolders',
      card: renderCard('inspectHolders', inspectHoldersView('Mail.Send', [
        { type: 'Application', risk: 'high', description: 'Send mail as any user', holders: [{ servicePrincipalId: 's1', displayName: 'Cirrus Connect (contoso.cirrus.example)', consent: 'admin' }] },
        { type: 'Delegated', risk: 'low', description: 'Send mail as a user', holders: [{ servicePrincipalId: 's2', displayName: 'Fabrikam Expenses', consent: 'per-user', users: 2 }] },
      ])),
    },
    { name: 'inspectHolders-none', card: renderCard('inspectHolders', inspectHoldersView('Mail.Send', [{ type: 'Application', risk: 'high', description: 'Send mail as any user', holders: [] }])) },
    {
      name: 'expiringSecrets-approver',
      card: renderCard('expiringSecrets', expiringSecretsView([
        { app: { id: 'a', appId: inspection.app.appId, displayName: 'Miradore' }, requestId: 'REQ-7K2M9Q', credential: inspection.credentials[0] },
        { app: { id: 'b', appId: '22222222-2222-4222-8222-222222222222', displayName: 'SecurEnds' }, credential: { ...inspection.credentials[0], state: 'expired', daysLeft: -3, end: '2026-11-19T00:00:00Z' } },
      ], 30, { canRotate: true })),
    },
    { name: 'expiringSecrets-none', card: renderCard('expiringSecrets', expiringSecretsView([], 30, { canRotate: false })) },
    { name: 'appChoice-nothing-close', card: renderCard('appChoice', appChoiceView({ kind: 'not-found', target: 'zzz', suggestions: [] })) },
  ];
}
