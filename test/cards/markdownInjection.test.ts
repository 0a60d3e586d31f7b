import { createDomainPlanner } from '../../src/app/requests/domainPlanner';
import type { Draft } from '../../src/app/workflowPorts';
import type { DriftFixPlan } from '../../src/domain/driftFix';
import { approve, reject, submitRequest, type RegistrationRequest } from '../../src/domain/request';
import { commandWords } from '../../src/domain/commands';
import { helpCard } from '../../src/teams/commands/help';
import { TeamsSecretLinkNotifier } from '../../src/teams/secretNotifier';
import { renderCard } from '../../src/teams/cards';
import { appChoiceView } from '../../src/teams/views/appChoiceView';
import { expiringSecretsView } from '../../src/teams/views/expiringSecretsView';
import { withDriftFixes } from '../../src/teams/views/inspectDriftFixView';
import { inspectHoldersView } from '../../src/teams/views/inspectHoldersView';
import { inspectView } from '../../src/teams/views/inspectView';
import { auditView, requestListView } from '../../src/teams/views/listViews';
import { previewView } from '../../src/teams/views/previewView';
import { createRequestRenderer } from '../../src/teams/views/renderRequest';
import { storedPlanView } from '../../src/teams/views/storedPlanView';
import { sampleInspection } from '../helpdesk/helpdeskCardSamples';
import { offboardRequest, offboardStates, samplePlan } from '../offboarding/offboardCardSamples';
import { markdownTexts, shown } from '../support/teamsMarkdown';

/** A display name anyone who can register an app may choose: a link dressed as an approval, and bold. */
const HOSTILE = 'HR [Approve here](https://evil.example) **OK**';
/** A reason or request text over several lines: a list item, a heading and italics of its own. */
const HOSTILE_LINES = 'Looks fine\n- [Approve here](https://evil.example)\n# _urgent_';
const now = new Date('2026-11-22T09:00:00Z');
const mallory = { id: 'u-mallory', name: HOSTILE };

const planner = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 });
function hostilePlan() {
  const outcome = planner('onboard miradore', {}, {}, 'draft-1');
  if (outcome.kind !== 'plan') throw new Error(`expected a plan, got ${outcome.kind}`);
  return { ...outcome, plan: { ...outcome.plan, displayName: HOSTILE } };
}
function hostileRequest(): RegistrationRequest {
  const { plan, planHash } = hostilePlan();
  return submitRequest({ id: 'REQ-7K2M9Q', requester: mallory, title: HOSTILE, vendor: 'miradore', text: HOSTILE_LINES, plan, planHash, risk: 'medium', requiredApprovals: 2, expiresAfterMs: 86_400_000 }, now);
}
const must = (t: { ok: boolean; request?: RegistrationRequest }) => t.request!;

/** Every card kind that shows a string someone else chose, built the way production builds it. */
async function hostileCards(): Promise<[string, unknown][]> {
  const render = createRequestRenderer(withDriftFixes(storedPlanView));
  const pending = hostileRequest();
  const once = must(approve(pending, { id: 'u-a', name: HOSTILE }, now));
  const rejected = must(reject(once, { id: 'u-b', name: HOSTILE }, HOSTILE_LINES, now));
  const failed: RegistrationRequest = { ...once, state: 'Failed', failure: { at: now.toISOString(), message: `Graph said: ${HOSTILE}`, retryable: false } };
  const driftFix: RegistrationRequest = {
    ...pending, plan: {
      kind: 'drift-fix', vendor: 'Drift fix', vendorId: 'drift-fix', displayName: HOSTILE, target: { appId: 'a', objectId: 'o', servicePrincipalId: 's' }, source: `recipe ${HOSTILE}`,
      permissions: [], remove: [], features: [], secret: { issue: false, lifetimeDays: 0 }, followUps: [], risk: 'low', planHash: 'h',
    } satisfies DriftFixPlan,
  };
  const offboard = samplePlan([{ resourceAppId: 'r', resource: HOSTILE, name: HOSTILE, type: 'Application', id: 'i', adminConsentRequired: true, risk: 'high', adminDisplayName: HOSTILE }], HOSTILE);
  const offboardPending = offboardRequest(offboard, mallory);
  const [, disabled] = offboardStates(offboardPending);
  const restoreOrdered: RegistrationRequest = { ...disabled.request, offboarding: { ...disabled.request.offboarding, restore: { by: mallory, at: now.toISOString(), mac: 'x' } } };
  const { plan, planHash } = hostilePlan();
  const draft: Draft = { id: 'draft-1', requesterId: mallory.id, text: HOSTILE_LINES, inputs: {}, choices: {}, createdAt: now.toISOString() };
  const inspection = sampleInspection();
  const hostileInspection = {
    ...inspection, app: { ...inspection.app, displayName: HOSTILE }, owners: [{ id: 'o', displayName: HOSTILE }],
    credentials: [{ ...inspection.credentials[0], name: HOSTILE, hint: '*_[' }],
  };
  const linkCards: unknown[] = [];
  const links = new TeamsSecretLinkNotifier({ toPerson: async (_id, card) => (linkCards.push(card), true), toApprovers: async () => 1, canReach: async () => true, toRequestConversation: async () => true });
  await links.linkIssued({ requestId: 'REQ-7K2M9Q', recipient: mallory, appName: HOSTILE, vendor: HOSTILE, appId: 'a', url: 'https://onboard.example/secrets/t', expiresAt: now.toISOString(), rotation: false } as never);
  await links.linkExpired({ requestId: 'REQ-7K2M9Q', recipient: mallory, appName: HOSTILE, appId: 'a', expiredAt: now.toISOString() } as never);
  return [
    ['request, pending (requester name, title, plan display name)', render(pending, 'approver')],
    ['request, one approval recorded (approver name)', render(once, 'other')],
    ['request, rejected (approver name, reason)', render(rejected, 'requester')],
    ['request, failed (Graph error text)', render(failed, 'requester')],
    ['request, drift fix (app display name)', render(driftFix, 'approver')],
    ['request, offboarding (app display name, grant names, requester)', render(offboardPending, 'approver')],
    ['request, offboarding restore ordered (app display name, approver name)', render(restoreOrdered, 'requester')],
    ['preview (what was typed, display name)', renderCard('preview', previewView(draft, { kind: 'plan', plan, planHash, title: HOSTILE, risk: 'medium', missingInputs: [] }))],
    ['inspect (display name, owners, credential name)', renderCard('inspect', inspectView(hostileInspection, { approver: true }))],
    ['app choice (display names, what was asked)', renderCard('appChoice', appChoiceView({ kind: 'ambiguous', target: HOSTILE, choices: [{ id: 'a', appId: 'a', displayName: HOSTILE, createdDateTime: null }] }))],
    ['app choice, not found', renderCard('appChoice', appChoiceView({ kind: 'not-found', target: HOSTILE, suggestions: [HOSTILE] }))],
    ['which apps (holder names)', renderCard('inspectHolders', inspectHoldersView('Mail.Send', [{ type: 'Application', risk: 'high', description: 'Send mail', holders: [{ servicePrincipalId: 's', displayName: HOSTILE, consent: 'admin' }] }]))],
    ['secrets expiring (app and credential names)', renderCard('expiringSecrets', expiringSecretsView([{ app: { id: 'a', appId: 'a', displayName: HOSTILE }, credential: hostileInspection.credentials[0] }], 30, { canRotate: true }))],
    ['request list (titles)', renderCard('requestList', requestListView([pending]))],
    ['audit (actor names, details)', renderCard('audit', auditView('REQ-7K2M9Q', [{ at: now.toISOString(), action: 'rejected', outcome: 'ok', actor: mallory, correlationId: 'c', detail: HOSTILE_LINES }]))],
    ['help (what was not understood)', helpCard(commandWords, { notUnderstood: HOSTILE })],
    ['secret link (app name, vendor, recipient)', linkCards[0]],
    ['secret notice (app name)', linkCards[1]],
  ];
}

describe('user-supplied strings render as literal text on every card', () => {
  let cards: [string, unknown][];
  beforeAll(async () => {
    cards = await hostileCards();
  });

  it('covers every card kind that shows someone else\'s words', () => {
    expect(cards.length).toBe(18);
    for (const [name, card] of cards) expect([name, card]).toEqual([name, expect.objectContaining({ type: 'AdaptiveCard' })]);
  });

  it.each([...Array(18).keys()])('card %i: the hostile text is shown as typed, with no live link, bold, heading or list', (i) => {
    const [name, card] = cards[i];
    const texts = markdownTexts(card).map(shown).filter((t) => t.visible.includes('Approve here'));
    expect([name, texts.length > 0]).toEqual([name, true]);
    for (const text of texts) {
      expect({ name, links: text.links, formatting: text.formatting.filter((f) => /^(\*\*OK\*\*|_urgent_|#|-|\d)/.test(f)) }).toEqual({ name, links: [], formatting: [] });
      expect([name, text.visible.includes(HOSTILE) || text.visible.includes('- [Approve here](https://evil.example)')]).toEqual([name, true]);
    }
  });
});
