import { renderCard } from '../../src/teams/cards';
import { commandWords as helpTopics } from '../../src/domain/commands';
import { welcomeThings } from '../../src/teams/installation';
import { previewView } from '../../src/teams/views/previewView';
import { createDomainPlanner } from '../../src/app/requests/domainPlanner';
import type { Draft } from '../../src/app/workflowPorts';
import { requestView, type Viewer } from '../../src/teams/views/requestView';
import type { PlanView } from '../../src/teams/views/planView';
import { requestListView, auditView } from '../../src/teams/views/listViews';
import { submitRequest, approve, reject, cancel, expire, type RegistrationRequest } from '../../src/domain/request';
import { helpdeskCardSamples } from '../helpdesk/helpdeskCardSamples';
import { reviewCardSamples } from '../review/reviewCardSamples';
import { offboardCardSamples } from '../offboarding/offboardCardSamples';
import { secretLinkSamples } from '../secrets/cardSamples';
import { vendorsView } from '../../src/teams/views/vendorsView';
import { recipes } from '../../src/domain/catalog/recipes';

/** Cirrus Connect, mail, delegated: the plan people meet first. */
export const samplePlanView: PlanView = {
  vendor: 'Cirrus Connect',
  summary: 'Cirrus Connect · Outlook Mail (delegated)',
  reading: 'Read as: Cirrus Connect · Outlook Mail: delegated · Cirrus domain: contoso.cirrus.example',
  notices: [{ text: 'I did not use "fax": Cirrus Connect has no function or option by that name.' }],
  appName: 'Cirrus Connect (contoso.cirrus.example)',
  risk: 'low',
  permissions: [
    { name: 'User.Read', type: 'Delegated', allows: 'Sign in and read user profile', adminConsent: 'No', consent: 'Granted for everyone in the tenant (Entra admin consent required: No)', risk: 'low', riskColor: 'Good' },
    { name: 'Mail.ReadWrite.Shared', type: 'Delegated', allows: 'Read and write user and shared mail', adminConsent: 'No', consent: 'Granted for everyone in the tenant (Entra admin consent required: No)', risk: 'low', riskColor: 'Good' },
    { name: 'Mail.Send.Shared', type: 'Delegated', allows: 'Send mail on behalf of others', adminConsent: 'No', consent: 'Granted for everyone in the tenant (Entra admin consent required: No)', risk: 'low', riskColor: 'Good' },
    { name: 'Unexus.Access', type: 'Delegated', allows: 'Cirrus Connect Access (this app\'s own scope)', adminConsent: 'No', consent: 'Granted for everyone in the tenant (Entra admin consent required: No)', risk: 'low', riskColor: 'Good' },
  ],
  shape: [
    { title: 'Web redirect URIs', value: 'https://contoso.cirrus.example/webclient/signin-oidc, …/supervisor/signin-oidc, …/administrator/signin-oidc' },
    { title: 'Public client', value: 'Yes (native client and http://localhost:8639)' },
    { title: 'Exposed API', value: 'api://[Application ID] with scope Unexus.Access' },
    { title: 'Access token version', value: '2' },
  ],
  secretText: 'No client secret: delegated permissions only.',
  followUps: [{ text: 'Use a dedicated service account with access to the shared mailboxes; it signs in once to the Cirrus Console.' }],
};

const now = new Date('2026-11-22T09:00:00Z');
const later = new Date('2026-11-22T09:20:00Z');
const ann = { id: 'u-ann', name: 'Ann Approver' };
const riley = { id: 'u-riley', name: 'Riley Requester' };

export function sampleRequest(): RegistrationRequest {
  return submitRequest({ id: 'REQ-7K2M9Q', requester: riley, title: samplePlanView.appName, vendor: 'cirrus-connect', text: 'onboard cirrus connect mail delegated', plan: {}, planHash: 'a'.repeat(64), risk: 'low', requiredApprovals: 1, expiresAfterMs: 7 * 86_400_000 }, now);
}

function must(result: { ok: boolean; request?: RegistrationRequest }): RegistrationRequest {
  if (!result.ok || !result.request) throw new Error('sample transition failed');
  return result.request;
}

function request(name: string, r: RegistrationRequest, viewer: Viewer) {
  return { name: `request-${name}`, card: renderCard('request', requestView(r, samplePlanView, viewer)) };
}

/** Every card template expanded with representative data: used for schema checks and screenshots. */
export function cardSamples(): { name: string; card: Record<string, unknown> }[] {
  const pending = sampleRequest();
  return [
    { name: 'welcome', card: renderCard('welcome', { things: welcomeThings }) },
    { name: 'help', card: renderCard('help', { notUnderstood: '', didYouMean: '', commands: helpTopics }) },
    { name: 'help-did-you-mean', card: renderCard('help', { notUnderstood: 'hlep', didYouMean: 'help', commands: helpTopics }) },
    request('pending-approver', pending, 'approver'),
    request('pending-requester', pending, 'requester'),
    request('pending-approver-justified', { ...pending, justification: 'Contact centre go-live on 1 December, ticket INC-1234.' }, 'approver'),
    request('approved', must(approve(pending, ann, later)), 'other'),
    request('provisioning', { ...must(approve(pending, ann, later)), state: 'Provisioning', progress: { step: 3, total: 7, label: 'service principal created' } }, 'other'),
    request('provisioned', provisioned(must(approve(pending, ann, later))), 'requester'),
    request('rejected', must(reject(pending, ann, 'We already have a Cirrus app; extend that one.', later)), 'requester'),
    request('cancelled', must(cancel(pending, riley, later)), 'other'),
    request('expired', must(expire(pending, new Date('2026-12-01T00:00:00Z'))), 'other'),
    ...previews(),
    ...helpdeskCardSamples(),
    ...reviewCardSamples(),
    ...offboardCardSamples(),
    { name: 'vendors', card: renderCard('vendors', vendorsView(recipes())) },
    { name: 'notice', card: renderCard('notice', { title: 'Preview cancelled', text: 'Nothing was requested.' }) },
    { name: 'requestList', card: renderCard('requestList', requestListView([pending, must(approve(pending, ann, later))])) },
    ...secretLinkSamples(),
    { name: 'requestList-empty', card: renderCard('requestList', requestListView([])) },
    {
      name: 'audit',
      card: renderCard('audit', auditView(pending.id, [
        { at: now.toISOString(), action: 'submitted', outcome: 'ok', actor: riley, requestId: pending.id, correlationId: 'c1' },
        { at: later.toISOString(), action: 'approve', outcome: 'refused', actor: riley, requestId: pending.id, correlationId: 'c2', detail: 'self-approval' },
        { at: later.toISOString(), action: 'approved', outcome: 'ok', actor: ann, requestId: pending.id, correlationId: 'c3' },
      ])),
    },
  ];
}

function previews() {
  const planner = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 });
  const draft = (text: string, inputs: Record<string, string> = {}): Draft => ({ id: 'draft-1', requesterId: riley.id, text, inputs, choices: {}, createdAt: now.toISOString() });
  const sample = (name: string, d: Draft) => {
    const outcome = planner(d.text, d.inputs, d.choices, d.id);
    if (outcome.kind === 'problem') throw new Error(outcome.message);
    return { name: `preview-${name}`, card: renderCard('preview', previewView(d, outcome, '', { duplicates: name === 'duplicate' ? [{ displayName: 'Miradore', appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', createdDateTime: '2026-10-01T08:00:00Z', madeByOnboard: false }] : [] })) };
  };
  return [
    sample('ready', draft('onboard cirrus connect mail delegated for contoso.cirrus.example')),
    sample('missing-domain', draft('onboard cirrus connect mail delegated')),
    sample('bad-domain', draft('onboard cirrus connect mail delegated', { domain: 'not a host' })),
    sample('needs-choice', draft('onboard cirrus connect mail')),
    sample('securends', draft('onboard securends')),
    sample('notices', draft('onboard cirrus connect calendar delegated fax for contoso.cirrus.example')),
    sample('duplicate', draft('onboard miradore', { justification: 'Device management for the field staff.' })),
    sample('presence-question', draft('onboard cirrus connect presence delegated')),
  ];
}

function provisioned(approved: RegistrationRequest): RegistrationRequest {
  const at = later.toISOString();
  return {
    ...approved,
    state: 'Provisioned',
    provisioning: {
      key: `onboard-${approved.id}`, attempt: 1, startedAt: at, completedAt: at, tenant: { id: '6f1c2a9e-4b3d-4e8f-9a7c-2d5b8e1f0c34', displayName: 'Contoso (local)' },
      steps: {
        application: { id: '3f0b6c1e-8a2d-4e7f-9b1c-5d6e7f8a9b0c', appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', at },
        servicePrincipal: { id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', at },
        verify: { permissions: samplePlanView.permissions.map((p) => ({ resource: 'Microsoft Graph', name: p.name, type: p.type, verified: true })), at },
      },
    },
  };
}
