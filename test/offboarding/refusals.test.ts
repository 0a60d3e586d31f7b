import { ClientSecretCredential } from '@azure/identity';
import type { LocalCloud } from '../../src/localcloud';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { offboardPlan } from '../../src/domain/offboarding';
import { approvalPayload } from '../../src/domain/planGuard';
import { approve, submitRequest, type RegistrationRequest } from '../../src/domain/request';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { ManualClock } from '../support/fakes';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, megan, newRequestId, provisioningStack, requester, testApprovalSigner } from '../support/provisioningStack';
import { testTables } from '../support/tables';
import { offboardStack } from './offboardStack';

describe('offboarding refuses what Onboard did not make, forged rows, and the bot\'s identity', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let stack: ReturnType<typeof provisioningStack>;
  let off: ReturnType<typeof offboardStack>;
  let made: { id: string; appId: string; objectId: string; spId: string };

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    const tables = testTables();
    stack = provisioningStack(endpointsOf(cloud, tables));
    off = offboardStack(cloud, stack.requests, new TableAuditLog(createTableClientFactory(tables)), new ManualClock(new Date()));
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const provisioned = await stack.provision.execute({ requestId: id });
    if (provisioned.kind !== 'provisioned') throw new Error(provisioned.kind);
    const steps = (provisioned as { request: RegistrationRequest }).request.provisioning!.steps;
    made = { id, appId: steps.application!.appId, objectId: steps.application!.id, spId: steps.servicePrincipal!.id };
  });
  afterAll(async () => stop());

  const spEnabled = async () => (await rawGraph(cloud, 'GET', `/servicePrincipals/${made.spId}`)).json.accountEnabled as boolean;

  it('an app Onboard did not make is refused, saying what an admin would do by hand', async () => {
    const app = (await rawGraph(cloud, 'POST', '/applications', { displayName: 'Handmade Vendor' })).json;
    expect(app.id).toBeDefined();
    const result = await off.offboard.execute({ target: 'Handmade Vendor', actor: megan, correlationId: 't-1' });
    expect(result.kind).toBe('refused');
    const message = (result as { message: string }).message;
    expect(message).toContain('Onboard can offboard only the apps it created itself');
    expect(message).toContain('Entra admin center');
    expect(message).toMatch(/Enabled for users to sign-in.*No/);
    expect(message).toContain('delete its registration');
  });

  it('an app tagged to look like Onboard\'s (pointing at another request) is refused, and the message says tags do not count', async () => {
    await rawGraph(cloud, 'POST', '/applications', { displayName: 'Lookalike Vendor', tags: ['Onboard', `onboard:request:${made.id}`] });
    const result = await off.offboard.execute({ target: 'Lookalike Vendor', actor: megan, correlationId: 't-2' });
    expect(result.kind).toBe('refused');
    const message = (result as { message: string }).message;
    expect(message).toContain('Its tags say Onboard made it, but tags can be written by anyone');
    expect(message).toContain('Entra admin center');
  });

  it('a forged offboard row written straight to the table as Approved does nothing', async () => {
    const plan = offboardPlan({ app: { appId: made.appId, id: made.objectId, displayName: 'Miradore', servicePrincipalId: made.spId }, ofRequestId: made.id, graceDays: 14, holds: { permissions: [], passwords: 1, certificates: 0 } });
    let row = submitRequest({ id: `REQ-FORGED${Date.now()}`, requester, title: 'Offboard: Miradore', text: 'forged', plan, planHash: plan.planHash, risk: plan.risk, requiredApprovals: 1, expiresAfterMs: 86_400_000 }, new Date());
    const approved = approve(row, megan, new Date());
    if (!approved.ok) throw new Error('approve');
    row = approved.request;
    await stack.requests.create(row as RegistrationRequest);
    const outcome = await off.run.execute(row.id);
    expect(outcome.kind).toBe('failed');
    const stored = (await stack.requests.get(row.id))!.value;
    expect(stored.failure!.message).toContain('the approval carries no signature');
    expect(stored.failure!.message).toContain('Nothing was changed in the directory');
    expect(await spEnabled()).toBe(true);
  });

  it('a signed offboard whose target is not the app its request of origin made is refused before any write', async () => {
    // Properly approved and signed, but naming request `made.id` as the origin of another app: the guard reads the origin.
    const other = (await rawGraph(cloud, 'POST', '/applications', { displayName: 'Other Vendor' })).json;
    const plan = offboardPlan({ app: { appId: other.appId, id: other.id, displayName: 'Other Vendor', servicePrincipalId: made.spId }, ofRequestId: made.id, graceDays: 14, holds: { permissions: [], passwords: 0, certificates: 0 } });
    let row = submitRequest({ id: `REQ-MISMATCH${Date.now()}`, requester, title: 'Offboard: Other Vendor', text: 'mismatch', plan, planHash: plan.planHash, risk: plan.risk, requiredApprovals: 1, expiresAfterMs: 86_400_000 }, new Date());
    const approved = approve(row, megan, new Date());
    if (!approved.ok) throw new Error('approve');
    row = { ...approved.request, approvalMac: await testApprovalSigner.sign(approvalPayload(approved.request)) };
    await stack.requests.create(row as RegistrationRequest);
    expect((await off.run.execute(row.id)).kind).toBe('failed');
    expect((await stack.requests.get(row.id))!.value.failure!.message).toContain(`do not show that request ${made.id} created the app ${other.appId}`);
    expect(await spEnabled()).toBe(true);
  });

  it('a restore order written straight to the table is refused by the worker; past Entra\'s 30 days a restore is refused with the reason', async () => {
    const clock = new ManualClock(new Date());
    const own = offboardStack(cloud, stack.requests, new TableAuditLog(createTableClientFactory(testTables())), clock);
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const provisioned = await stack.provision.execute({ requestId: id });
    const steps = (provisioned as { request: RegistrationRequest }).request.provisioning!.steps;
    const asked = await own.offboard.execute({ target: steps.application!.appId, actor: requester, correlationId: 't-f' });
    if (asked.kind !== 'submitted') throw new Error(asked.kind);
    await own.decide.execute({ requestId: asked.request.id, planHash: asked.request.planHash, decision: 'approve', actor: megan, correlationId: 't-fa' });
    expect((await own.run.execute(asked.request.id)).kind).toBe('disabled');

    const current = (await stack.requests.get(asked.request.id))!;
    await stack.requests.update({ ...current.value, offboarding: { ...current.value.offboarding, restore: { by: megan, at: clock.now().toISOString(), mac: 'forged' } } }, current.etag);
    const [outcome] = await own.sweeper.runOnce();
    expect(outcome.kind).toBe('failed');
    expect((await stack.requests.get(asked.request.id))!.value.failure!.message).toContain('the restore order\'s signature does not match');
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${steps.servicePrincipal!.id}`)).json.accountEnabled).toBe(false);

    // Past the 30 days Entra keeps a deleted app, Onboard says so rather than trying.
    const failed = (await stack.requests.get(asked.request.id))!;
    const removedLongAgo = new Date(clock.now().getTime() - 31 * 86_400_000).toISOString();
    await stack.requests.update({ ...failed.value, state: 'Offboarded', failure: undefined, offboarding: { ...failed.value.offboarding, restore: undefined, removal: { application: { at: removedLongAgo, removed: 1 } }, verifiedAt: removedLongAgo, told: ['disabled', 'offboarded'] } }, failed.etag);
    const late = await own.restore.execute({ target: steps.application!.appId, actor: megan, correlationId: 't-late' });
    expect(late.kind).toBe('refused');
    expect((late as { message: string }).message).toContain('more than 30 days ago');
  });

  it('the bot\'s own token is refused on every offboarding write', async () => {
    const token = (await new ClientSecretCredential(cloud.tenantId, cloud.bot.clientId, cloud.bot.clientSecret, { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true }).getToken('https://graph.microsoft.com/.default'))!.token;
    const asBot = async (method: string, path: string, body?: object) => (await fetch(`${cloud.graphBaseUrl}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) })).status;
    const assignment = (await rawGraph(cloud, 'GET', `/servicePrincipals/${made.spId}/appRoleAssignments`)).json.value[0];
    const password = (await rawGraph(cloud, 'GET', `/applications/${made.objectId}`)).json.passwordCredentials[0];
    expect(await asBot('PATCH', `/servicePrincipals/${made.spId}`, { accountEnabled: false })).toBe(403);
    expect(await asBot('DELETE', `/servicePrincipals/${made.spId}/appRoleAssignments/${assignment.id}`)).toBe(403);
    expect(await asBot('POST', `/applications/${made.objectId}/removePassword`, { keyId: password.keyId })).toBe(403);
    expect(await asBot('PATCH', `/applications/${made.objectId}`, { keyCredentials: [] })).toBe(403);
    expect(await asBot('DELETE', `/applications/${made.objectId}`)).toBe(403);
    expect(await spEnabled()).toBe(true);
    expect((await rawGraph(cloud, 'GET', `/applications/${made.objectId}`)).status).toBe(200);
  });
});
