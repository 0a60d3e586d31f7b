import { renderCard } from '../../src/teams/cards';
import type { Inspection } from '../../src/app/helpdesk/inspectApp';
import type { AuditEvent } from '../../src/app/workflowPorts';
import { inspectView } from '../../src/teams/views/inspectView';
import { inspectHoldersView } from '../../src/teams/views/inspectHoldersView';
import { expiringSecretsView } from '../../src/teams/views/expiringSecretsView';
import { auditView, requestListView } from '../../src/teams/views/listViews';
import { previewView } from '../../src/teams/views/previewView';
import { requestView } from '../../src/teams/views/requestView';
import { storedPlanView } from '../../src/teams/views/storedPlanView';
import { createDomainPlanner } from '../../src/app/requests/domainPlanner';
import { MAX_CUSTOM_PERMISSIONS } from '../../src/domain/customCommand';
import { permissionCatalog, riskOf } from '../../src/domain/catalog/permissions';
import { submitRequest } from '../../src/domain/request';
import { cardSamples } from '../support/cardSamples';
import { cardValidator } from '../support/cardSchema';
import { buttonData, cardText } from '../support/teamsTurns';
import { sampleInspection } from '../helpdesk/helpdeskCardSamples';
import { reviewCard, reviewedRequest, reviewListCard } from '../review/reviewCardSamples';
import { offboardRequest, offboardStates, samplePlan } from '../offboarding/offboardCardSamples';
import { MAX_LISTED_REMOVALS } from '../../src/teams/views/offboardPlanView';

/**
 * Teams refuses a message over about 100 KB, counted as UTF-16, with 413 MessageSizeTooBig; Microsoft advises
 * staying well under. Every card kind is rendered here at the worst sizes a tenant can produce, with the longest
 * names Graph allows (256 characters), and must stay under 80 KB.
 */
const BUDGET = 80 * 1024;
const utf16Bytes = (card: unknown) => JSON.stringify(card).length * 2;
const long = (what: string, i: number) => `${what} ${i} ${'Ⅻ'.repeat(120)}${'x'.repeat(120)}`.slice(0, 256);
const graph = '00000003-0000-0000-c000-000000000000';

function hugeInspection(): Inspection {
  const base = sampleInspection();
  const permissions = Array.from({ length: 500 }, (_, i) => ({
    ...base.permissions[0], name: long('Role', i), id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resource: long('API', i), resourceAppId: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    requested: i % 2 === 0, granted: (i % 3 === 0 ? 'no' : 'admin') as 'no' | 'admin', risk: 'high' as const,
  }));
  return {
    ...base,
    app: { ...base.app, displayName: long('App', 0) },
    owners: Array.from({ length: 100 }, (_, i) => ({ id: `o${i}`, displayName: long('Owner', i) })),
    permissions,
    drift: { source: 'request REQ-7K2M9Q, as approved', missing: permissions.map((p) => ({ resourceAppId: graph, type: 'Application' as const, name: p.name, resource: p.resource, problem: 'requested, not granted' })), extra: [], shape: [] },
    credentials: Array.from({ length: 60 }, (_, i) => ({ ...base.credentials[0], keyId: `k${i}`, name: long('Secret', i) })),
  };
}

const holders = (n: number, consent: 'admin' | 'per-user') => Array.from({ length: n }, (_, i) => ({ servicePrincipalId: `s${i}`, displayName: long('Holder', i), consent, users: consent === 'per-user' ? 1_000 : undefined }));
const events: AuditEvent[] = Array.from({ length: 1_000 }, (_, i) => ({ at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(), action: 'approval.approve', outcome: i % 2 ? 'ok' : 'refused', requestId: 'REQ-7K2M9Q', actor: { id: `u${i}`, name: long('Person', i) }, correlationId: `c${i}`, detail: long('Detail', i) + long('more', i) }));
const expiring = Array.from({ length: 500 }, (_, i) => ({ app: { id: `a${i}`, appId: `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`, displayName: long('App', i) }, requestId: 'REQ-7K2M9Q', credential: { ...sampleInspection().credentials[0], name: long('Secret', i) } }));

const reviews = () => Array.from({ length: 500 }, (_, i) => ({
  request: reviewedRequest(long('Person', i), long('App', i)), dueAt: '2026-08-30T10:00:00Z', overdue: true, line: `Review overdue since 2026-08-30: asked ${long('Person', i)} on 2026-08-30; last reviewed 2026-06-01 by ${long('Person', i)}.`,
}));

/** A custom request at the most it may name, choosing the permissions with the longest names and descriptions. */
function biggestCustomPlan() {
  // The wordiest descriptions, with names short enough that the whole request fits the 2,000 characters read.
  const wordy = permissionCatalog.all()
    .filter((p) => p.type === 'Delegated' && /^[A-Za-z][\w.]*$/.test(p.name) && p.name.length <= 36 && riskOf(p) !== 'tier0')
    .sort((a, b) => b.adminDisplayName.length - a.adminDisplayName.length)
    .slice(0, MAX_CUSTOM_PERMISSIONS);
  const text = `onboard custom "${long('App', 1).slice(0, 120)}" with delegated ${wordy.map((p) => p.name).join(', ')}`;
  expect(text.length).toBeLessThanOrEqual(2_000);
  const outcome = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 })(text, {}, {}, 'draft-1');
  if (outcome.kind !== 'plan') throw new Error(`the biggest custom plan did not plan: ${JSON.stringify(outcome).slice(0, 300)}`);
  expect(outcome.plan.permissions).toHaveLength(MAX_CUSTOM_PERMISSIONS);
  return { text, outcome };
}

function biggestRequestCards(): { name: string; card: Record<string, unknown> }[] {
  const { text, outcome } = biggestCustomPlan();
  const request = submitRequest({ id: 'REQ-7K2M9Q', requester: { id: 'u1', name: long('Person', 1) }, title: outcome.title, vendor: 'Custom', text, plan: outcome.plan, planHash: outcome.planHash, risk: outcome.risk, requiredApprovals: 2, expiresAfterMs: 86_400_000 }, new Date());
  const requests = Array.from({ length: 500 }, (_, i) => ({ ...request, id: `REQ-${String(i).padStart(6, '0')}`, title: long('App', i) }));
  return [
    { name: `preview, custom request of ${MAX_CUSTOM_PERMISSIONS} permissions`, card: renderCard('preview', previewView({ id: 'draft-1', text, inputs: {} } as never, outcome)) },
    ...(['approver', 'requester', 'other'] as const).map((viewer) => ({ name: `request (${viewer}), custom request of ${MAX_CUSTOM_PERMISSIONS} permissions`, card: renderCard('request', requestView(request, storedPlanView(request), viewer)) })),
    { name: 'requestList, 500 requests', card: renderCard('requestList', requestListView(requests)) },
  ];
}

/** Every card kind, at the worst case, on its first and its last page. */
function worstCases(): { name: string; card: Record<string, unknown> }[] {
  const inspection = hugeInspection();
  const held = [
    { type: 'Application' as const, risk: 'high' as const, description: 'Send mail as any user', holders: holders(2_000, 'admin') },
    { type: 'Delegated' as const, risk: 'low' as const, description: 'Send mail as a user', holders: holders(2_000, 'per-user') },
  ];
  return [0, 10_000].flatMap((page) => [
    { name: `inspect, 500 permissions, page ${page}`, card: renderCard('inspect', inspectView(inspection, { approver: true, page })) },
    { name: `inspectHolders, 2,000 holders of each type, page ${page}`, card: renderCard('inspectHolders', inspectHoldersView('Mail.Send', held, { page })) },
    { name: `expiringSecrets, 500 secrets, page ${page}`, card: renderCard('expiringSecrets', expiringSecretsView(expiring, 30, { canRotate: true, page })) },
    { name: `audit, 1,000 events, page ${page}`, card: renderCard('audit', auditView('REQ-7K2M9Q', events, page)) },
    { name: `reviewList, 500 overdue reviews, page ${page}`, card: reviewListCard(reviews(), page) },
  ]).concat([
    { name: 'review (requester), 500 permissions and 60 credentials', card: reviewCard(reviewedRequest(long('Person', 1), long('App', 1)), inspection, 'requester') },
    { name: 'review (approvers, requester left), 500 permissions', card: reviewCard({ ...reviewedRequest(long('Person', 1), long('App', 1)), review: { since: '2026-06-01T10:00:00Z', stage: 'asked-approvers', stageAt: '2026-09-01T10:00:00Z', requesterLeft: 'deleted' } }, inspection, 'approvers', 'requester-left') },
  ]);
}

/**
 * Offboarding an app that holds 500 grants (added in the tenant after Onboard made it), with the longest names,
 * by a requester with the longest name, at every state its card reaches.
 */
function biggestOffboardCards(): { name: string; card: Record<string, unknown> }[] {
  const permissions = Array.from({ length: 500 }, (_, i) => ({
    resourceAppId: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resource: long('API', i), name: long('Role', i), type: (i % 2 ? 'Delegated' : 'Application') as 'Delegated' | 'Application',
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, adminConsentRequired: true, risk: 'high' as const, adminDisplayName: long('Allows', i),
  }));
  const request = offboardRequest(samplePlan(permissions, long('App', 0)), { id: 'u1', name: long('Person', 1) });
  return offboardStates(request).flatMap(({ name, request: r }) => (['approver', 'requester'] as const).map((viewer) => ({ name: `request (${viewer}), offboarding an app with 500 grants, ${name}`, card: renderCard('request', requestView(r, storedPlanView(r), viewer)) })));
}

describe('card size budget (issue #14): under 80 KB as UTF-16, and valid', () => {
  const validate = cardValidator();

  it.each(worstCases().map((c) => [c.name, c.card]))('%s', (_name, card) => {
    expect(utf16Bytes(card)).toBeLessThan(BUDGET);
    expect(validate(card)).toEqual([]);
  });

  it.each(biggestRequestCards().map((c) => [c.name, c.card]))('%s', (_name, card) => {
    expect(utf16Bytes(card)).toBeLessThan(BUDGET);
    expect(validate(card)).toEqual([]);
  });

  it.each(biggestOffboardCards().map((c) => [c.name, c.card]))('%s', (_name, card) => {
    expect(utf16Bytes(card)).toBeLessThan(BUDGET);
    expect(validate(card)).toEqual([]);
  });

  it(`lists ${MAX_LISTED_REMOVALS} of an offboarded app's 500 grants and counts the rest, pointing at check for all`, () => {
    const text = cardText(biggestOffboardCards()[0].card);
    expect(text.match(/^\*\*Remove Role /gm)).toHaveLength(MAX_LISTED_REMOVALS);
    expect(text).toContain(`And ${500 - MAX_LISTED_REMOVALS} more grant(s) not listed here; step 2 removes every grant the app holds then. Type **check 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d** for the full list.`);
    expect(text).toContain('Remove 500 permission grants, 1 client secret and 0 certificates, then delete the app registration.');
  });

  it(`refuses a custom request of ${MAX_CUSTOM_PERMISSIONS + 1} permissions, saying how many and what to do`, () => {
    const names = permissionCatalog.all().filter((p) => p.type === 'Delegated' && /^[A-Za-z][\w.]*$/.test(p.name) && p.name.length <= 30 && riskOf(p) !== 'tier0').slice(0, MAX_CUSTOM_PERMISSIONS + 1);
    const outcome = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 })(`onboard custom "Big" with delegated ${names.map((p) => p.name).join(', ')}`, {}, {}, 'draft-1');
    expect(outcome).toMatchObject({ kind: 'problem', message: expect.stringContaining(`names ${MAX_CUSTOM_PERMISSIONS + 1} permissions; one custom request can name at most ${MAX_CUSTOM_PERMISSIONS}`) });
  });

  it.each(cardSamples().map((s) => [s.name, s.card]))('sample %s', (_name, card) => {
    expect(utf16Bytes(card)).toBeLessThan(BUDGET);
  });

  it('pages the expiring secrets so that every one can be reached, and says where the reader is', () => {
    const seen = new Set<string>();
    for (let page = 0; page < 100; page++) {
      const card = renderCard('expiringSecrets', expiringSecretsView(expiring, 30, { canRotate: true, page }));
      for (const m of cardText(card).matchAll(/App (\d+) /g)) seen.add(m[1]);
      if (!buttonData(card, 'Next')) {
        expect(cardText(card)).toContain('481–500 of 500 · page 25 of 25');
        break;
      }
    }
    expect(seen.size).toBe(500);
  });

  it('offers the command-line export for the whole audit trail', () => {
    expect(cardText(renderCard('audit', auditView('REQ-7K2M9Q', events, 0)))).toContain('onboard audit export');
  });
});
