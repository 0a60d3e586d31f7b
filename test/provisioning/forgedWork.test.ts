/**
 * Forged work (issues #13 and #16): a request written straight to the requests table as Approved, by someone
 * who can write Table Storage but holds neither the approval key nor a seat in the approvers group. Each row
 * below must provision nothing (no Graph write at all), end Failed and not retryable with the reason, be
 * audited as refused, and the approvers must hear why.
 */
import type { LocalCloud } from '../../src/localcloud';
import type { GraphCallRecord } from '../../src/adapters/graph/graphClient';
import { ProvisioningSweeper } from '../../src/app/provisioningSweeper';
import { ApprovedWorkDispatcher } from '../../src/app/provisioning/approvedWork';
import { systemClock } from '../../src/app/ports';
import { approvalPayload } from '../../src/domain/planGuard';
import { buildCustomPlan, planHashOf, type RegistrationPlan } from '../../src/domain/plan';
import { approve, submitRequest, type Person, type RegistrationRequest } from '../../src/domain/request';
import { startTestCloud } from '../localcloud/helpers';
import { DecideApproval } from '../../src/app/approvals/decideApproval';
import { PreWriteGuard } from '../../src/app/provisioning/preWriteGuard';
import { InMemoryMembership } from '../support/fakes';
import { testTables } from '../support/tables';
import { largestCirrusConnect, miradorePlan } from '../support/provisioningPlans';
import { adele, approvedRequest, endpointsOf, megan, newRequestId, provisioningStack, requester, testApprovalSigner, testPolicy } from '../support/provisioningStack';
import { RotateSecret } from '../../src/app/secrets/rotateSecret';

const isaiah: Person = { id: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' };

/** The row an attacker writes: Approved, with whatever approvals, plan, hash and signature they choose. */
async function forgedRow(options: { id: string; plan: unknown; planHash?: string; approvers?: Person[]; by?: Person; sign?: 'valid' | 'none' | 'other'; after?: (r: RegistrationRequest) => RegistrationRequest; risk?: 'low' | 'medium' | 'high' }) {
  const now = new Date();
  const approvers = options.approvers ?? [megan, adele];
  let request = submitRequest({
    id: options.id, requester: options.by ?? requester, title: 'Forged', text: 'onboard forged', plan: options.plan,
    planHash: options.planHash ?? planHashOf(options.plan as RegistrationPlan), risk: options.risk ?? 'high', requiredApprovals: approvers.length, expiresAfterMs: 86_400_000,
  }, now);
  for (const a of approvers) {
    const moved = approve(request, a, now);
    if (!moved.ok) throw new Error(JSON.stringify(moved.refusal));
    request = moved.request;
  }
  const sign = options.sign ?? 'valid';
  if (sign !== 'none') request = { ...request, approvalMac: await testApprovalSigner.sign(approvalPayload(sign === 'valid' ? request : { ...request, id: 'REQ-OTHER' })) };
  return options.after ? options.after(request) : request;
}

describe('a request written straight to Table Storage as Approved provisions nothing', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  const calls: GraphCallRecord[] = [];
  const told: RegistrationRequest[] = [];
  let stack: ReturnType<typeof provisioningStack>;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    stack = provisioningStack(endpointsOf(cloud, testTables()), {
      directory: { observe: (c) => calls.push(c) },
      progress: { stepDone: async () => undefined, finished: async () => undefined, failed: async (r) => void told.push(r) },
    });
  });
  afterAll(async () => stop());

  const tally = () => ({ apps: cloud.state.applications.length, sps: cloud.state.servicePrincipals.length, roles: cloud.state.appRoleAssignments.length, grants: cloud.state.oauth2PermissionGrants.length });

  async function expectRefused(row: RegistrationRequest, reason: RegExp) {
    await stack.requests.create(row);
    const before = tally();
    calls.length = 0;
    const outcome = await stack.provision.execute({ requestId: row.id });
    expect(outcome).toMatchObject({ kind: 'failed', request: { state: 'Failed', failure: { retryable: false } } });
    const stored = (await stack.requests.get(row.id))!.value;
    expect(stored.failure!.message).toMatch(reason);
    expect(stored.failure!.message).toContain('Nothing was created in the directory.');
    // Not one Graph write from the saga's identity, and the tenant is as it was.
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(tally()).toEqual(before);
    const audit = await stack.audit.forRequest(row.id);
    expect(audit.find((e) => e.action === 'provisioning.refused')).toMatchObject({ outcome: 'refused', detail: expect.stringMatching(reason) });
    expect(told.some((r) => r.id === row.id && r.state === 'Failed')).toBe(true);
  }

  it('without an approval signature', async () => {
    const id = newRequestId();
    await expectRefused(await forgedRow({ id, plan: miradorePlan(id), sign: 'none' }), /carries no signature/);
  });

  it('with the wrong HMAC (a signature made for another request)', async () => {
    const id = newRequestId();
    await expectRefused(await forgedRow({ id, plan: miradorePlan(id), sign: 'other' }), /signature does not match/);
  });

  it('with the plan tampered after a valid approval (a certificate and a Tier-0 role slipped in)', async () => {
    const id = newRequestId();
    const tampered = (r: RegistrationRequest): RegistrationRequest => {
      const plan = r.plan as RegistrationPlan;
      return { ...r, plan: { ...plan, application: { ...plan.application, keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: 'AAAA' }] } } };
    };
    await expectRefused(await forgedRow({ id, plan: miradorePlan(id), after: tampered }), /does not hash to the approved plan hash.*keyCredentials is set/);
  });

  it('with a tampered plan whose hash was recomputed: the signature no longer matches', async () => {
    const id = newRequestId();
    const rehashed = (r: RegistrationRequest): RegistrationRequest => {
      const { planHash: _old, ...plan } = r.plan as RegistrationPlan;
      const withNotes = { ...plan, application: { ...plan.application, notes: 'harmless' } };
      const planHash = planHashOf(withNotes);
      return { ...r, plan: { ...withNotes, planHash }, planHash };
    };
    await expectRefused(await forgedRow({ id, plan: miradorePlan(id), after: rehashed }), /signature does not match/);
  });

  it('with a Tier-0 plan, even correctly hashed and signed', async () => {
    const id = newRequestId();
    const plan = buildCustomPlan('HR sync', [{ name: 'RoleManagement.ReadWrite.Directory', type: 'Application' }], false, { seed: id, requestId: id, maxSecretLifetimeDays: 365 });
    await expectRefused(await forgedRow({ id, plan }), /RoleManagement\.ReadWrite\.Directory \(Application\) is Tier 0/);
  });

  it('approved by someone who is not in the approvers group', async () => {
    const id = newRequestId();
    await expectRefused(await forgedRow({ id, plan: miradorePlan(id), approvers: [megan, isaiah] }), /Isaiah Langer .* is not, or no longer, a member of the approvers group/);
  });

  it('approved by someone who has left the approvers group since', async () => {
    // The local cloud has no way to change a group's members, so the directory is our Membership port's fake:
    // Adele was a member when DecideApproval recorded and signed her approval, and is not when the worker runs.
    const id = newRequestId();
    const groups = { approvers: cloud.groups.approvers };
    const then = new InMemoryMembership({ [groups.approvers]: [megan.id, adele.id] });
    const now = new InMemoryMembership({ [groups.approvers]: [megan.id] });
    const tables = testTables();
    const worker = provisioningStack(endpointsOf(cloud, tables), {
      directory: { observe: (c) => calls.push(c) },
      guard: new PreWriteGuard({ membership: now, approversGroup: groups.approvers, signer: testApprovalSigner, policy: testPolicy }),
    });
    const plan = miradorePlan(id);
    const pending = submitRequest({ id, requester, title: 'Miradore', text: 'onboard miradore', plan, planHash: plan.planHash, risk: 'high', requiredApprovals: 2, expiresAfterMs: 86_400_000 }, new Date());
    await worker.requests.create(pending);
    const decide = new DecideApproval({ requests: worker.requests, audit: worker.audit, membership: then, groups, policy: testPolicy, clock: systemClock, signer: testApprovalSigner });
    for (const actor of [megan, adele]) expect(await decide.execute({ requestId: id, planHash: plan.planHash, decision: 'approve', actor, correlationId: `c-${actor.id}` })).toMatchObject({ kind: 'decided' });
    expect((await worker.requests.get(id))!.value).toMatchObject({ state: 'Approved', approvalMac: expect.any(String) });
    const before = tally();
    calls.length = 0;
    expect(await worker.provision.execute({ requestId: id })).toMatchObject({ kind: 'failed', request: { state: 'Failed', failure: { retryable: false, message: expect.stringMatching(/Adele Vance .* is not, or no longer, a member of the approvers group/) } } });
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(tally()).toEqual(before);
  });

  it('approved by its own requester', async () => {
    const id = newRequestId();
    await expectRefused(await forgedRow({ id, plan: miradorePlan(id), by: megan }), /the requester approved their own request/);
  });

  it('with fewer approvers than the risk recomputed from its permissions needs (the stored risk says low)', async () => {
    const id = newRequestId();
    await expectRefused(await forgedRow({ id, plan: largestCirrusConnect(id), approvers: [megan], risk: 'low' }), /a high-risk plan needs 2 distinct approvers; 1 recorded/);
  });

  it('picked up by the sweeper instead of a click: the same refusal', async () => {
    const id = newRequestId();
    await stack.requests.create(await forgedRow({ id, plan: miradorePlan(id), sign: 'other' }));
    calls.length = 0;
    const dispatcher = new ApprovedWorkDispatcher({ requests: stack.requests, handlers: { registration: (input) => stack.provision.execute(input) } });
    const sweeper = new ProvisioningSweeper({ requests: stack.requests, provision: dispatcher, clock: systemClock });
    await sweeper.runOnce();
    expect((await stack.requests.get(id))!.value).toMatchObject({ state: 'Failed', failure: { retryable: false, message: expect.stringMatching(/signature does not match/) } });
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('with the requester changed after a valid approval, so the one-time link would go to someone else', async () => {
    const id = newRequestId();
    await expectRefused(await forgedRow({ id, plan: miradorePlan(id), after: (r) => ({ ...r, requester: isaiah }) }), /signature does not match/);
  });
});

describe('a rotation row written straight to Table Storage adds no secret', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let stack: ReturnType<typeof provisioningStack>;
  let rotate: RotateSecret;
  let origin: RegistrationRequest;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    stack = provisioningStack(endpointsOf(cloud, testTables()));
    rotate = new RotateSecret({ requests: stack.requests, audit: stack.audit, directory: stack.directory, vault: stack.vault, clock: systemClock, settings: stack.settings, guard: stack.guard });
    const originId = newRequestId();
    await approvedRequest(stack.requests, originId, miradorePlan(originId));
    const made = await stack.provision.execute({ requestId: originId });
    if (made.kind !== 'provisioned') throw new Error(made.kind);
    origin = made.request;
  }, 60_000);
  afterAll(async () => stop());

  const passwords = () => (cloud.state.applications.find((a) => a.appId === origin.provisioning!.steps.application!.appId)!.passwordCredentials as unknown[]).length;

  async function expectNoSecret(rotation: (r: RegistrationRequest) => RegistrationRequest, reason: RegExp) {
    const id = newRequestId();
    const row = rotation(await forgedRow({
      id, plan: origin.plan, planHash: origin.planHash, approvers: [megan], risk: 'medium', by: requester,
      after: (r) => ({ ...r, rotation: { ofRequestId: origin.id, appId: origin.provisioning!.steps.application!.appId, oldKeyIds: [], recipient: requester, originalRequester: origin.requester } }),
    }));
    await stack.requests.create(row);
    const before = passwords();
    const outcome = await rotate.execute({ requestId: id });
    expect(outcome).toMatchObject({ kind: 'failed', request: { state: 'Failed', failure: { retryable: false, message: expect.stringMatching(reason) } } });
    expect(passwords()).toBe(before);
    expect((await stack.audit.forRequest(id)).find((e) => e.action === 'rotation.refused')).toMatchObject({ outcome: 'refused' });
  }

  it('unsigned, naming the attacker as the recipient', async () => {
    await expectNoSecret((r) => ({ ...r, approvalMac: undefined, rotation: { ...r.rotation!, recipient: isaiah } }), /carries no signature/);
  });

  it('signed for the requester, then edited to send the secret to someone else', async () => {
    await expectNoSecret((r) => ({ ...r, rotation: { ...r.rotation!, recipient: isaiah } }), /signature does not match/);
  });

  it('with a valid signature but one approver for a secret going to someone other than the app\'s requester', async () => {
    const signedFor = async (r: RegistrationRequest) => ({ ...r, approvalMac: await testApprovalSigner.sign(approvalPayload(r)) });
    const id = newRequestId();
    const row = await forgedRow({ id, plan: origin.plan, planHash: origin.planHash, approvers: [megan], risk: 'medium', by: requester });
    const rotation = await signedFor({ ...row, rotation: { ofRequestId: origin.id, appId: origin.provisioning!.steps.application!.appId, oldKeyIds: [], recipient: isaiah, originalRequester: origin.requester } });
    await stack.requests.create(rotation);
    const before = passwords();
    expect(await rotate.execute({ requestId: id })).toMatchObject({ kind: 'failed', request: { failure: { message: expect.stringMatching(/needs 2 distinct approvers; 1 recorded/) } } });
    expect(passwords()).toBe(before);
  });
});
