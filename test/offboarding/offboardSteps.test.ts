import { offboardPlan } from '../../src/domain/offboarding';
import { checkStoredRequest } from '../../src/domain/planGuard';
import { isDueForRemoval, isRestorable, offboardPhase, recordDisabled, resumeOffboarding } from '../../src/domain/offboardSteps';
import { approve, submitRequest, takeProvisioningLease, type RegistrationRequest } from '../../src/domain/request';
import { parseStoredPlan } from '../../src/domain/storedPlan';

const DAY = 86_400_000;
const t0 = new Date('2026-12-01T10:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const megan = { id: 'm', name: 'Megan' };
const plan = offboardPlan({ app: { appId: '11111111-1111-1111-1111-111111111111', id: '22222222-2222-2222-2222-222222222222', displayName: 'Miradore', servicePrincipalId: '33333333-3333-3333-3333-333333333333' }, ofRequestId: 'R1', graceDays: 14, holds: { permissions: [], passwords: 1, certificates: 0 } });

function disabledRequest(): RegistrationRequest {
  const submitted = submitRequest({ id: 'REQ-1', requester: { id: 'a', name: 'Alex' }, title: 'Offboard: Miradore', text: 'offboard', plan, planHash: plan.planHash, risk: plan.risk, requiredApprovals: 1, expiresAfterMs: 7 * DAY }, t0);
  const approved = approve(submitted, megan, t0);
  if (!approved.ok) throw new Error('approve');
  const leased = takeProvisioningLease(approved.request, 'w', 60_000, 'k', t0);
  if (!leased.ok) throw new Error('lease');
  const disabled = recordDisabled(leased.request, 'w', 14, at(0.01));
  if (!disabled.ok) throw new Error('disable');
  return disabled.request as RegistrationRequest;
}

describe('offboarding\'s pure transitions', () => {
  it('rests in Disabled, without a lease, until exactly the grace period after the approval', () => {
    const request = disabledRequest();
    expect(request).toMatchObject({ state: 'Disabled', lease: undefined, offboarding: { removeAfter: at(14).toISOString() } });
    expect(isDueForRemoval(request, new Date(at(14).getTime() - 1))).toBe(false);
    expect(isDueForRemoval(request, at(14))).toBe(true);
    expect(resumeOffboarding(request, 'w2', 60_000, at(13))).toMatchObject({ ok: false });
    const resumed = resumeOffboarding(request, 'w2', 60_000, at(14));
    expect(resumed).toMatchObject({ ok: true, request: { state: 'Provisioning', lease: { owner: 'w2' } } });
    expect(offboardPhase((resumed as { request: RegistrationRequest }).request)).toBe('remove');
  });

  it('a restore order makes the next phase re-enable, and removal is never due for it', () => {
    const request = { ...disabledRequest(), offboarding: { ...disabledRequest().offboarding, restore: { by: megan, at: at(2).toISOString(), mac: 'x' } } };
    expect(isDueForRemoval(request, at(20))).toBe(false);
    expect(offboardPhase(request)).toBe('re-enable');
  });

  it('an offboarded app is restorable for 30 days after its deletion, not after', () => {
    const deleted = { ...disabledRequest(), state: 'Offboarded' as const, offboarding: { removal: { application: { at: at(14).toISOString(), removed: 1 } }, verifiedAt: at(14).toISOString(), disabledAt: at(0).toISOString() } };
    expect(isRestorable(deleted, at(43))).toBe(true);
    expect(isRestorable(deleted, at(44))).toBe(false);
  });

  it('the guard refuses an offboard plan with a key no offboard plan has, or changed after approval', () => {
    const request = disabledRequest();
    const policy = { allowSelfApproval: false, highRiskApprovals: 2 };
    expect(checkStoredRequest(request, parseStoredPlan(request), { policy })).toEqual([]);
    const extra = { ...request, plan: { ...plan, application: { displayName: 'x' } } };
    expect(checkStoredRequest(extra, parseStoredPlan(extra), { policy })).toEqual(expect.arrayContaining(['the offboard plan sets application, which no offboard plan sets']));
    const retargeted = { ...request, plan: { ...plan, target: { ...plan.target, servicePrincipalId: '44444444-4444-4444-4444-444444444444' } } };
    expect(checkStoredRequest(retargeted, parseStoredPlan(retargeted), { policy })).toEqual(expect.arrayContaining([expect.stringContaining('does not hash to the approved plan hash')]));
    const malformed = { ...request, plan: { ...plan, target: { appId: 'not-a-guid' } } };
    expect(parseStoredPlan(malformed)).toMatchObject({ kind: 'unreadable' });
  });
});
