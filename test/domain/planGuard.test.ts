import { checkStoredRequest } from '../../src/domain/planGuard';
import { planHashOf, type RegistrationPlan } from '../../src/domain/plan';
import { approve, submitRequest, type Person, type RegistrationRequest } from '../../src/domain/request';
import { parseStoredPlan } from '../../src/domain/storedPlan';
import { seedRecipeCases } from '../support/provisioningPlans';

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
});
