import {
  backoffDelayMs, classifyFailure, describeCreated, missingRoles, patchAfterCreate, readProvisioningPlan, rolesNeeded, stepsFor, PlanProblem,
} from '../../src/domain/provisioning';
import { approve, needsProvisioning, retryProvisioning, submitRequest, takeProvisioningLease, failProvisioning, type RegistrationRequest } from '../../src/domain/request';
import { contains } from '../../src/app/provisioningGrants';
import { parseStoredPlan } from '../../src/domain/storedPlan';
import { largestCirrusConnect, miradorePlan } from '../support/provisioningPlans';

const now = new Date('2026-11-23T10:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const person = { id: 'u1', name: 'Megan' };

function approved(plan: unknown = miradorePlan('R1')): RegistrationRequest {
  const pending = submitRequest({ id: 'R1', requester: { id: 'r', name: 'Alex' }, title: 'Miradore', text: 't', plan, planHash: 'h', risk: 'high', requiredApprovals: 1, expiresAfterMs: 1e9 }, now);
  const result = approve(pending, person, now);
  if (!result.ok) throw new Error('not approved');
  return result.request;
}

describe('provisioning rules (pure)', () => {
  it('reads the stored plan: the create body never names the app itself; the patch fills in the appId', () => {
    const plan = readProvisioningPlan(largestCirrusConnect('R1'), 'x');
    expect(JSON.stringify(plan.createBody)).not.toContain('{appId}');
    expect(plan.permissions.filter((p) => p.resourceAppId === 'self').map((p) => p.name)).toEqual(['Unexus.Access']);
    const patch = patchAfterCreate(plan, 'a1b2');
    expect(patch?.identifierUris).toEqual(['api://a1b2']);
    expect(JSON.stringify(patch)).not.toContain('{appId}');
    expect((patch?.requiredResourceAccess as { resourceAppId: string }[]).map((r) => r.resourceAppId)).toContain('a1b2');
    expect(stepsFor(plan, { owners: false })).toEqual(['application', 'exposeApi', 'servicePrincipal', 'password', 'vault', 'grants', 'verify']);
    expect(stepsFor(readProvisioningPlan(miradorePlan('R1'), 'x'), { owners: true })).toEqual(['application', 'servicePrincipal', 'owners', 'password', 'vault', 'grants', 'verify']);
  });

  it('derives the same patch for a stored plan written before afterCreate existed', () => {
    const { afterCreate, ...old } = largestCirrusConnect('R1');
    expect(patchAfterCreate(readProvisioningPlan(old, 'x'), 'a1b2')).toEqual(patchAfterCreate(readProvisioningPlan({ ...old, afterCreate }, 'x'), 'a1b2'));
  });

  it('refuses a plan it cannot act on, in words: malformed at the store boundary, or with an id that is no GUID', () => {
    expect(parseStoredPlan({ plan: {} })).toMatchObject({ kind: 'unreadable', problem: expect.stringContaining('application') });
    expect(parseStoredPlan({ plan: miradorePlan('R1') }).kind).toBe('registration');
    expect(parseStoredPlan({ plan: miradorePlan('R1'), rotation: { ofRequestId: 'R0', appId: 'a', oldKeyIds: [] } }).kind).toBe('rotation');
    const mailSend = { name: 'Mail.Send', type: 'Application' as const, resourceAppId: '00000003-0000-0000-c000-000000000000', id: 'nope', resource: 'Microsoft Graph', adminConsentRequired: true, risk: 'high' as const, adminDisplayName: '' };
    expect(() => readProvisioningPlan({ application: { displayName: 'x' }, permissions: [mailSend], secret: { issue: false, lifetimeDays: 1 } }, 'x')).toThrow(PlanProblem);
    expect(() => readProvisioningPlan({ application: { displayName: 'x' }, permissions: [mailSend], secret: { issue: false, lifetimeDays: 1 } }, 'x')).toThrow(/no valid id for Mail.Send/);
  });

  it('backs off exponentially with jitter, within the cap', () => {
    expect(backoffDelayMs(0, 0)).toBe(100);
    expect(backoffDelayMs(0, 1)).toBe(200);
    expect(backoffDelayMs(3, 0.5)).toBe(1200);
    expect(backoffDelayMs(20, 1)).toBe(8000);
    expect(backoffDelayMs(20, 0)).toBe(4000);
  });

  it.each([
    [{ status: 404, code: 'Request_ResourceNotFound', message: 'Resource x does not exist' }, 'lag'],
    [{ status: 400, code: 'Request_BadRequest', message: "The appId 'x' of the service principal does not reference a valid application object." }, 'lag'],
    [{ status: 409, code: 'Request_MultipleObjectsWithSameKeyValue', message: 'uniqueName' }, 'lag'],
    [{ status: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property uniqueName already exists.' }, 'lag'],
    [{ status: 429, message: 'throttled' }, 'transient'],
    [{ status: 503, message: 'unavailable' }, 'transient'],
    [{ message: 'socket hang up', source: 'network' as const }, 'transient'],
    [{ status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges' }, 'forbidden'],
    [{ status: 400, code: 'HostNameNotOnVerifiedDomain', message: 'verified domain' }, 'fatal'],
    [{ message: 'AADSTS7000215', source: 'auth' as const }, 'fatal'],
  ])('classifies %j as %s', (failure, kind) => {
    expect(classifyFailure(failure)).toBe(kind);
  });

  it('knows which of its own roles a plan needs', () => {
    const plan = readProvisioningPlan(miradorePlan('R1'), 'x');
    expect(rolesNeeded(plan)).toEqual(['Application.ReadWrite.OwnedBy', 'Application.Read.All', 'AppRoleAssignment.ReadWrite.All']);
    expect(missingRoles(rolesNeeded(plan), ['Application.ReadWrite.All', 'Directory.Read.All'])).toEqual(['AppRoleAssignment.ReadWrite.All']);
  });

  it('one lease at a time: held refuses, expired is taken over, Retry keeps what exists', () => {
    const started = takeProvisioningLease(approved(), 'bot-a', 60_000, 'onboard-R1', now);
    expect(started.ok && started.request.state).toBe('Provisioning');
    if (!started.ok) return;
    expect(takeProvisioningLease(started.request, 'bot-b', 60_000, 'onboard-R1', later(1_000))).toEqual({ ok: false, refusal: { code: 'leased', owner: 'bot-a', until: later(60_000).toISOString() } });
    expect(needsProvisioning(started.request, later(1_000))).toBe(false);
    expect(needsProvisioning(started.request, later(61_000))).toBe(true);
    const taken = takeProvisioningLease(started.request, 'bot-b', 60_000, 'onboard-R1', later(61_000));
    expect(taken.ok && taken.request.lease?.owner).toBe('bot-b');
    if (!taken.ok) return;
    const withApp = { ...taken.request, provisioning: { ...taken.request.provisioning!, steps: { application: { id: 'o1', appId: 'a1', at: now.toISOString() } } } };
    expect(failProvisioning(withApp, 'bot-a', { message: 'x', retryable: true }, later(62_000))).toEqual({ ok: false, refusal: { code: 'lease-lost' } });
    const failed = failProvisioning(withApp, 'bot-b', { message: 'Graph said no', retryable: true }, later(62_000));
    expect(failed.ok && failed.request.lease).toBeUndefined();
    if (!failed.ok) return;
    const retried = retryProvisioning(failed.request, person, later(63_000));
    expect(retried.ok && retried.request.state).toBe('Approved');
    if (!retried.ok) return;
    const again = takeProvisioningLease(retried.request, 'bot-a', 60_000, 'onboard-R1', later(64_000));
    expect(again.ok && again.request.provisioning).toMatchObject({ attempt: 2, steps: { application: { id: 'o1' } } });
    expect(retryProvisioning({ ...failed.request, failure: { at: '', message: '', retryable: false } }, person, later(63_000)).ok).toBe(false);
  });

  it('says what exists when it fails, or that nothing does', () => {
    expect(describeCreated(undefined)).toBe('Nothing was created in the directory.');
    expect(describeCreated({ key: 'k', attempt: 1, startedAt: '', steps: { application: { id: 'o1', appId: 'a1', at: '' }, password: { keyId: 'k1', displayName: 'x', endDateTime: '', at: '' } } }))
      .toBe('Created so far: application a1 (object o1), client secret k1. Retry continues from there.');
  });

  it('compares read-backs key by key and arrays in any order', () => {
    expect(contains({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [2, 1], b: { c: 1 } })).toBe(true);
    expect(contains({ a: [1, 2, 3] }, { a: [1, 2] })).toBe(false);
    expect(contains({ a: 'X' }, { a: 'x' })).toBe(false);
  });
});
