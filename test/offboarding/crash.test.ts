import { spawn } from 'node:child_process';
import type { LocalCloud } from '../../src/localcloud';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import type { RegistrationRequest } from '../../src/domain/request';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { distFile } from '../support/dist';
import { ManualClock } from '../support/fakes';
import { miradorePlan } from '../support/provisioningPlans';
import { withProcessSlot } from '../support/provisioningProcesses';
import { approvedRequest, endpointsOf, megan, newRequestId, provisioningStack, requester, type SagaEndpoints } from '../support/provisioningStack';
import { testTables } from '../support/tables';
import { OFFBOARD_RUNNER_ENV, type OffboardRunnerConfig } from './offboardRunner';
import { offboardStack } from './offboardStack';

/** Every boundary of step 1: after each directory call returned (nothing recorded), after the record, after the announcement. */
const step1Deaths = ['call:setSignIn', 'call:signInEnabled', 'after:disabled', 'told:disabled'];
/** And of step 2: each removal call and its record, the read-back, the final record and its announcement. */
const step2Deaths = [
  'call:removeAppRoleAssignments', 'after:appRoleAssignments', 'call:removeDelegatedGrants', 'after:delegatedGrants',
  'call:removePasswords', 'after:passwords', 'call:removeCertificates', 'after:certificates', 'call:deleteApplication', 'after:application',
  'call:leftovers', 'after:verified', 'told:offboarded',
];
/** And of a restore after removal: each object back from deleted items, the final record and its announcement. */
const restoreDeaths = ['call:restoreDeleted', 'after:restore-application', 'after:restore-servicePrincipal', 'call:setSignIn', 'after:brought-back', 'told:re-enabled'];
const LEASE_MS = 1_500;
const DAY = 86_400_000;
/** The file's budget: every case may wait for a process slot, so each gets all of it; a hang still fails. */
const BUDGET_MS = 400_000;

function runOffboarder(config: OffboardRunnerConfig): Promise<{ code: number | null; signal: NodeJS.Signals | null; events: Record<string, unknown>[]; stderr: string }> {
  const child = spawn(process.execPath, [distFile('test', 'offboarding', 'offboardRunner.js')], { env: { ...process.env, [OFFBOARD_RUNNER_ENV]: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({
    code, signal, stderr, events: out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
  })));
}

describe('a worker killed (SIGKILL) at each offboarding step boundary, then restarted, ends in the same state exactly once', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let endpoints: SagaEndpoints;
  let audit: TableAuditLog;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    endpoints = endpointsOf(cloud, testTables());
    audit = new TableAuditLog(createTableClientFactory(endpoints.tables));
  });
  afterAll(async () => stop());

  /** A provisioned Miradore with an approved offboard request for it. */
  async function approvedOffboarding() {
    const stack = provisioningStack(endpoints);
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const provisioned = await stack.provision.execute({ requestId: id });
    if (provisioned.kind !== 'provisioned') throw new Error(provisioned.kind);
    const steps = (provisioned as { request: RegistrationRequest }).request.provisioning!.steps;
    const off = offboardStack(cloud, stack.requests, audit, new ManualClock(new Date()), { owner: `in-test-${id}` });
    const asked = await off.offboard.execute({ target: steps.application!.appId, actor: requester, correlationId: `t-${id}` });
    if (asked.kind !== 'submitted') throw new Error(asked.kind);
    await off.decide.execute({ requestId: asked.request.id, planHash: asked.request.planHash, decision: 'approve', actor: megan, correlationId: `t-a-${id}` });
    return { stack, off, requestId: asked.request.id, appId: steps.application!.appId, objectId: steps.application!.id, spId: steps.servicePrincipal!.id };
  }

  const runner = (requestId: string, mode: 'once' | 'resume', offsetMs: number, dieAt?: string, until?: 'Disabled' | 'Offboarded' | 'Restored') =>
    runOffboarder({ endpoints, owner: `${mode}-${requestId}`, leaseMs: LEASE_MS, offsetMs, requestId, mode, dieAt, until, timeoutMs: BUDGET_MS });

  async function auditedOnce(requestId: string, action: string) {
    const events = (await audit.forRequest(requestId)).filter((e) => e.action === action);
    expect(events.map((e) => e.outcome)).toEqual(['ok']);
  }

  it.concurrent.each(step1Deaths)('step 1, killed at %s: the restart leaves the app disabled once', (dieAt) => withProcessSlot(async () => {
    const { stack, requestId, spId } = await approvedOffboarding();
    const first = await runner(requestId, 'once', 0, dieAt);
    expect(first).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(first.events).toContainEqual({ event: 'dying', where: dieAt });
    const second = await runner(requestId, 'resume', 0, undefined, 'Disabled');
    expect(second.code).toBe(0);
    const stored = (await stack.requests.get(requestId))!.value;
    expect(stored.state).toBe('Disabled');
    expect(stored.offboarding!.told).toEqual(['disabled']);
    expect(stored.history.filter((h) => h.to === 'Disabled')).toHaveLength(1);
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${spId}`)).json.accountEnabled).toBe(false);
    await auditedOnce(requestId, 'offboard.disabled');
  }), BUDGET_MS);

  it.concurrent.each(step2Deaths)('step 2, killed at %s: the restart removes everything once', (dieAt) => withProcessSlot(async () => {
    const { stack, off, requestId, objectId, spId } = await approvedOffboarding();
    expect((await off.run.execute(requestId)).kind).toBe('disabled');
    const first = await runner(requestId, 'once', 15 * DAY, dieAt);
    expect(first).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(first.events).toContainEqual({ event: 'dying', where: dieAt });
    const second = await runner(requestId, 'resume', 15 * DAY, undefined, 'Offboarded');
    expect(second.code).toBe(0);
    const stored = (await stack.requests.get(requestId))!.value;
    expect(stored.state).toBe('Offboarded');
    expect(stored.offboarding!.told).toEqual(['disabled', 'offboarded']);
    expect(stored.history.filter((h) => h.to === 'Offboarded')).toHaveLength(1);
    expect(stored.offboarding!.removal!.application).toBeDefined();
    expect((await rawGraph(cloud, 'GET', `/applications/${objectId}`)).status).toBe(404);
    expect((await rawGraph(cloud, 'GET', `/directory/deletedItems/${objectId}`)).json).toMatchObject({ id: objectId, passwordCredentials: [], keyCredentials: [] });
    expect((await rawGraph(cloud, 'GET', `/oauth2PermissionGrants?$filter=clientId eq '${spId}'`)).json.value).toEqual([]);
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === spId)).toEqual([]);
    await auditedOnce(requestId, 'offboard.removed');
  }), BUDGET_MS);

  it.concurrent.each(restoreDeaths)('restore after removal, killed at %s: the restart brings it back once, with one re-grant request', (dieAt) => withProcessSlot(async () => {
    const { stack, off, requestId, appId, objectId, spId } = await approvedOffboarding();
    expect((await off.run.execute(requestId)).kind).toBe('disabled');
    const removed = await runner(requestId, 'resume', 15 * DAY, undefined, 'Offboarded');
    expect(removed.code).toBe(0);
    // The restore order is the bot's, signed; the test's clock is still at approval time, within the 30 days.
    expect((await off.restore.execute({ target: appId, actor: megan, correlationId: `t-r-${requestId}` })).kind).toBe('restoring');
    const first = await runner(requestId, 'once', 16 * DAY, dieAt);
    expect(first).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(first.events).toContainEqual({ event: 'dying', where: dieAt });
    const second = await runner(requestId, 'resume', 16 * DAY, undefined, 'Restored');
    expect(second.code).toBe(0);
    const stored = (await stack.requests.get(requestId))!.value;
    expect(stored.state).toBe('Restored');
    expect(stored.history.filter((h) => h.to === 'Restored')).toHaveLength(1);
    expect((await rawGraph(cloud, 'GET', `/applications/${objectId}`)).status).toBe(200);
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${spId}`)).json.accountEnabled).toBe(true);
    const regrants = (await stack.requests.listInStates(['PendingApproval'])).filter((r) => r.value.title === 'Re-grant after restore: Miradore' && r.value.text.includes(requestId));
    expect(regrants.map((r) => r.value.id)).toEqual([stored.offboarding!.regrantRequestId]);
    await auditedOnce(requestId, 'offboard.restored');
  }), BUDGET_MS);
});
