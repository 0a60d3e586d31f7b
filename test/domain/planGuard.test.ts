import { checkStoredRequest } from '../../src/domain/planGuard';
import { planHashOf, type RegistrationPlan } from '../../src/domain/plan';
import { approve, submitRequest, type Person, type RegistrationRequest } from '../../src/domain/request';
import { parseStoredPlan } from '../../src/domain/storedPlan';
import { seedRecipeCases } from '../support/provisioningPlans';
import { offboardPlan } from '../../src/domain/offboarding';

const alex: Person = { id: 'u-alex', name: 'Alex' };
const ann: Person = { id: 'u-ann', name: 'Ann' };
const bob: Person = { id: 'u-bob', name: 'Bob' };
const policy = { allowSelfApproval: false, highRiskApprovals: 2 };
const now = new Date('2026-12-01T10:00:00Z');

function approved(plan: unknown, approvers: Person[] = [ann, bob], options: { requester?: Person; selfApprovalAllowed?: boolean } = {}): RegistrationRequest {
  let r = submitRequest({ id: 'R1', requester: options.requester ?? alex, title: 't', text: 't', plan, planHash: planHashOf(plan as RegistrationPlan), risk: 'low', requiredApprovals: approvers.length, expiresAfterMs: 1e9, selfApprovalAllowed: options.selfApprovalAllowed }, now);
  for (const a of approvers) {
    const moved = approve(r, a, now);
    if (!moved.ok) throw new Error('not approved');
    r = moved.request;
  }
  return r;
}

const check = (r: RegistrationRequest, p = policy) => checkStoredRequest(r, parseStoredPlan(r), { policy: p });
const rehashed = (plan: RegistrationPlan, change: (p: RegistrationPlan) => unknown) => {
  const { planHash: _h, ...rest } = change(plan) as RegistrationPlan;
  return { ...rest, planHash: planHashOf(rest) };
};

describe('the pre-write guard, pure part', () => {
  it.each(seedRecipeCases)('accepts every seed recipe plan as built: $name', ({ build }) => {
    expect(check(approved(build('R1')))).toEqual([]);
  });

  it('refuses credentials, unknown body keys, other APIs and ids that are not the catalogue\'s, even with a matching hash', () => {
    const plan = seedRecipeCases[0].build('R1');
    const withCert = rehashed(plan, (p) => ({ ...p, application: { ...p.application, keyCredentials: [] } }));
    expect(check(approved(withCert)).join(' ')).toMatch(/keyCredentials is set.*the application body sets keyCredentials/);
    const withFic = rehashed(plan, (p) => ({ ...p, application: { ...p.application, web: { ...(p.application.web as object), federatedIdentityCredentials: [] } } }));
    expect(check(approved(withFic)).join(' ')).toMatch(/federatedIdentityCredentials is set/);
    const withRoles = rehashed(plan, (p) => ({ ...p, application: { ...p.application, appRoles: [] } }));
    expect(check(approved(withRoles))).toContain('the application body sets appRoles, which no Onboard plan sets');
    const otherApi = rehashed(plan, (p) => ({ ...p, permissions: [...p.permissions, { ...p.permissions[0], resourceAppId: '00000002-0000-0ff1-ce00-000000000000' }] }));
    expect(check(approved(otherApi)).join(' ')).toMatch(/Onboard plans grant Microsoft Graph permissions only/);
    const wrongId = rehashed(plan, (p) => ({ ...p, permissions: [{ ...p.permissions[0], id: p.permissions[1].id }, ...p.permissions.slice(1)] }));
    expect(check(approved(wrongId)).join(' ')).toMatch(/does not match the Microsoft Graph catalogue/);
    const riding = rehashed(plan, (p) => ({ ...p, application: { ...p.application, requiredResourceAccess: [{ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', type: 'Role' }] }] } }));
    expect(check(approved(riding)).join(' ')).toMatch(/requiredResourceAccess asks for Role 9e3f62cf/);
  });

  it('recomputes the hash, and the risk from the permissions rather than the row', () => {
    const plan = seedRecipeCases[0].build('R1');
    expect(check({ ...approved(plan), planHash: 'f'.repeat(64) }).join(' ')).toMatch(/does not hash to the approved plan hash/);
    expect(check(approved(plan, [ann]))).toContain('a high-risk plan needs 2 distinct approvers; 1 recorded');
  });

  it('self-approval only when both the request and the configuration allow it', () => {
    const plan = seedRecipeCases[0].build('R1');
    expect(check(approved(plan, [alex, ann]))).toContain('the requester approved their own request');
    expect(check(approved(plan, [alex, ann], { selfApprovalAllowed: true }))).toContain('the requester approved their own request');
    expect(check(approved(plan, [alex, ann], { selfApprovalAllowed: true }), { ...policy, allowSelfApproval: true })).toEqual([]);
    expect(check({ ...approved(plan), approvals: [{ by: ann, at: '' }, { by: ann, at: '' }] })).toContain('the same approver is recorded more than once');
  });

  it('counts an offboarded app\'s grant on its own API as low, as the bot\'s plan does, and one on another API as high', () => {
    const app = { appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', id: '3f0b6c1e-8a2d-4e7f-9b1c-5d6e7f8a9b0c', displayName: 'Cirrus Connect', servicePrincipalId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' };
    const grant = (resourceAppId: string) => ({ resourceAppId, resource: 'Cirrus Connect', name: 'Unexus.Access', type: 'Delegated' as const, id: 'Unexus.Access', adminConsentRequired: false, risk: 'low' as const, adminDisplayName: 'Unexus.Access on Cirrus Connect' });
    const own = offboardPlan({ app, ofRequestId: 'R0', graceDays: 14, holds: { permissions: [grant(app.appId)], passwords: 0, certificates: 0 } });
    expect(check(approved(own, [ann]))).toEqual([]);
    const other = offboardPlan({ app, ofRequestId: 'R0', graceDays: 14, holds: { permissions: [grant('11111111-2222-4333-8444-555555555555')], passwords: 0, certificates: 0 } });
    expect(check(approved(other, [ann]))).toContain('a high-risk plan needs 2 distinct approvers; 1 recorded');
  });
});
