import { DecideApproval } from '../../src/app/approvals/decideApproval';
import { CancelRequest } from '../../src/app/approvals/cancelRequest';
import { SweepRequests } from '../../src/app/approvals/sweepRequests';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { submitRequest, type Person } from '../../src/domain/request';
import { testTables } from '../support/tables';
import { InMemoryMembership, ManualClock } from '../support/fakes';
import { InMemorySecretVault } from '../support/provisioningVault';
import { APPROVAL_KEY_NAME, VaultApprovalSigner } from '../../src/adapters/keyvault/vaultApprovalSigner';
import type { ApprovalSigner } from '../../src/app/approvals/approvalSigner';
import { approvalPayload } from '../../src/domain/planGuard';

const APPROVERS = 'group-approvers';
const requester: Person = { id: 'u-requester', name: 'Riley Requester' };
const ann: Person = { id: 'u-ann', name: 'Ann Approver' };
const bob: Person = { id: 'u-bob', name: 'Bob Approver' };
const mallory: Person = { id: 'u-mallory', name: 'Mallory Outsider' };

function setup(options: { allowSelfApproval?: boolean; risk?: 'low' | 'high'; signer?: ApprovalSigner } = {}) {
  const tables = createTableClientFactory(testTables());
  const requests = new TableRequestStore(tables);
  const audit = new TableAuditLog(tables);
  const clock = new ManualClock();
  // The requester is an approver too: separation of duties must still stop them.
  const membership = new InMemoryMembership({ [APPROVERS]: [ann.id, bob.id, requester.id] });
  const policy = { allowSelfApproval: options.allowSelfApproval ?? false, highRiskApprovals: 2 };
  const decide = new DecideApproval({ requests, audit, membership, groups: { approvers: APPROVERS }, policy, clock, signer: options.signer });
  const cancel = new CancelRequest({ requests, audit, clock });
  const reminders: string[] = [];
  const expiredIds: string[] = [];
  const sweep = new SweepRequests({ requests, audit, clock, settings: { reminderAfterMs: 3_600_000 }, listener: { expired: async (r) => void expiredIds.push(r.id), remind: async (r) => void reminders.push(r.id) } });
  const create = async (id = 'REQ-0001') => {
    const risk = options.risk ?? 'low';
    const request = submitRequest({ id, requester, title: 'Miradore', vendor: 'miradore', text: 'onboard miradore', plan: { app: 'x' }, planHash: 'hash-1', risk, requiredApprovals: risk === 'high' ? 2 : 1, expiresAfterMs: 7 * 86_400_000 }, clock.now());
    await requests.create(request);
    return request;
  };
  return { requests, audit, clock, decide, cancel, sweep, create, reminders, expiredIds };
}

const input = (over: Partial<Parameters<DecideApproval['execute']>[0]> = {}) => ({ requestId: 'REQ-0001', planHash: 'hash-1', decision: 'approve' as const, actor: ann, correlationId: 'c-1', ...over });

describe('deciding on a request', () => {
  it('20 concurrent approve clicks give exactly one Approved transition and one "approved" audit event', async () => {
    const s = setup();
    await s.create();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.decide.execute(input({ actor: i % 2 ? ann : bob, correlationId: `c-${i}` }))));
    expect(results.filter((r) => r.kind === 'decided')).toHaveLength(1);
    const losers = results.filter((r) => r.kind === 'refused');
    expect(losers).toHaveLength(19);
    for (const l of losers) expect(l.kind === 'refused' && l.message).toContain('no longer waiting for a decision: it is approved');
    const stored = (await s.requests.get('REQ-0001'))!.value;
    expect(stored.state).toBe('Approved');
    expect(stored.history.filter((h) => h.to === 'Approved')).toHaveLength(1);
    const events = await s.audit.forRequest('REQ-0001');
    expect(events.filter((e) => e.action === 'approved' && e.outcome === 'ok')).toHaveLength(1);
    expect(events.filter((e) => e.outcome === 'refused')).toHaveLength(19);
  });

  it('rejects with a reason, and requires one', async () => {
    const s = setup();
    await s.create();
    const empty = await s.decide.execute(input({ decision: 'reject', reason: '  ' }));
    expect(empty).toMatchObject({ kind: 'refused', message: expect.stringContaining('give a reason') });
    const done = await s.decide.execute(input({ decision: 'reject', reason: 'Use the existing Miradore app' }));
    expect(done).toMatchObject({ kind: 'decided', outcome: 'rejected', request: { state: 'Rejected', rejection: { reason: 'Use the existing Miradore app', by: ann } } });
  });

  it.each([
    ['self-approval', { actor: requester }, 'cannot approve your own request'],
    ['a non-member approving', { actor: mallory }, 'Only members of the Onboard approvers group'],
    ['a tampered plan hash', { planHash: 'hash-forged' }, 'This card is out of date'],
    ['a tampered request id', { requestId: 'REQ-9999' }, 'cannot find that request'],
  ])('refuses and audits %s', async (_name, over, message) => {
    const s = setup();
    await s.create();
    const result = await s.decide.execute(input(over));
    expect(result.kind).toBe('refused');
    expect(result.kind === 'refused' && result.message).toContain(message);
    expect((await s.requests.get('REQ-0001'))!.value.state).toBe('PendingApproval');
    const refusals = [...(await s.audit.forRequest('REQ-0001')), ...(await s.audit.forRequest('REQ-9999'))].filter((e) => e.outcome === 'refused');
    expect(refusals).toHaveLength(1);
  });

  it('refuses a replayed approve after the decision', async () => {
    const s = setup();
    await s.create();
    expect((await s.decide.execute(input())).kind).toBe('decided');
    const replay = await s.decide.execute(input({ correlationId: 'c-replay' }));
    expect(replay).toMatchObject({ kind: 'refused', code: 'not-pending' });
    expect((await s.audit.forRequest('REQ-0001')).filter((e) => e.outcome === 'refused')).toHaveLength(1);
  });

  it('lets the requester approve their own request only when the local setting allows it', async () => {
    const s = setup({ allowSelfApproval: true });
    await s.create();
    expect(await s.decide.execute(input({ actor: requester }))).toMatchObject({ kind: 'decided', outcome: 'approved' });
  });

  it('needs two distinct approvers for a high-risk plan', async () => {
    const s = setup({ risk: 'high' });
    await s.create();
    expect(await s.decide.execute(input())).toMatchObject({ kind: 'decided', outcome: 'approval-recorded', request: { state: 'PendingApproval' } });
    expect(await s.decide.execute(input({ correlationId: 'again' }))).toMatchObject({ kind: 'refused', code: 'already-approved-by-you' });
    expect(await s.decide.execute(input({ actor: bob }))).toMatchObject({ kind: 'decided', outcome: 'approved', request: { state: 'Approved' } });
  });

  it('lets only the requester cancel, once', async () => {
    const s = setup();
    await s.create();
    expect(await s.cancel.execute({ requestId: 'REQ-0001', planHash: 'hash-1', actor: ann, correlationId: 'c' })).toMatchObject({ kind: 'refused', message: expect.stringContaining('Only the person who made this request') });
    expect(await s.cancel.execute({ requestId: 'REQ-0001', planHash: 'hash-1', actor: requester, correlationId: 'c' })).toMatchObject({ kind: 'cancelled', request: { state: 'Cancelled' } });
    expect(await s.decide.execute(input())).toMatchObject({ kind: 'refused', message: expect.stringContaining('it is cancelled') });
  });

  it('reminds once after the delay and expires after the period, on two sweepers at once', async () => {
    const s = setup();
    await s.create();
    s.clock.advance(2 * 3_600_000);
    const [a, b] = await Promise.all([s.sweep.execute(), s.sweep.execute()]);
    expect(a.reminded + b.reminded).toBe(1);
    expect(s.reminders).toEqual(['REQ-0001']);
    s.clock.advance(7 * 86_400_000);
    const [c, d] = await Promise.all([s.sweep.execute(), s.sweep.execute()]);
    expect(c.expired + d.expired).toBe(1);
    expect(s.expiredIds).toEqual(['REQ-0001']);
    expect((await s.requests.get('REQ-0001'))!.value.state).toBe('Expired');
    expect(await s.decide.execute(input())).toMatchObject({ kind: 'refused', message: expect.stringContaining('it is expired') });
  });

  it('signs the approval when the last required approval lands, with a key it makes in the vault (local profile)', async () => {
    const vault = new InMemorySecretVault();
    const signer = new VaultApprovalSigner(vault, { createIfMissing: true });
    const s = setup({ risk: 'high', signer });
    await s.create();
    const first = await s.decide.execute(input());
    expect(first.kind === 'decided' && first.request.approvalMac).toBeUndefined();
    await s.decide.execute(input({ actor: bob }));
    const stored = (await s.requests.get('REQ-0001'))!.value;
    expect(stored.approvalMac).toEqual(expect.any(String));
    expect(vault.entries.has(APPROVAL_KEY_NAME)).toBe(true);
    expect(await signer.verify(approvalPayload(stored), stored.approvalMac!)).toBe(true);
    // The signature covers the approvers: a row claiming other approvers does not verify.
    expect(await signer.verify(approvalPayload({ ...stored, approvals: [stored.approvals[0]] }), stored.approvalMac!)).toBe(false);
    // Another process reading the same vault verifies it; one with another key does not.
    expect(await new VaultApprovalSigner(vault, { createIfMissing: false }).verify(approvalPayload(stored), stored.approvalMac!)).toBe(true);
    expect(await new VaultApprovalSigner(new InMemorySecretVault(), { createIfMissing: true }).verify(approvalPayload(stored), stored.approvalMac!)).toBe(false);
  });

  it('without a key (azure profile, none created) the approval is recorded unsigned, for the worker to refuse', async () => {
    const s = setup({ signer: new VaultApprovalSigner(new InMemorySecretVault(), { createIfMissing: false }) });
    await s.create();
    expect(await s.decide.execute(input())).toMatchObject({ kind: 'decided', outcome: 'approved', request: { state: 'Approved', approvalMac: undefined } });
  });
});
