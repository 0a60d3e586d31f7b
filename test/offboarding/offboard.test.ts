import { createSelfSignedCertificate, type LocalCloud } from '../../src/localcloud';
import type { OffboardPlan } from '../../src/domain/offboarding';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { ManualClock } from '../support/fakes';
import { miradorePlan } from '../support/provisioningPlans';
import { adele, approvedRequest, endpointsOf, megan, newRequestId, provisioningStack, requester } from '../support/provisioningStack';
import { testTables } from '../support/tables';
import { offboardStack } from './offboardStack';

const DAY = 86_400_000;
const isaiah = { id: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' };

/** Signs in as the vendor app with a client secret, as the vendor would: the local cloud's token endpoint, no cache. */
async function signInAs(cloud: LocalCloud, appId: string, secret: string): Promise<{ status: number; error?: string; description?: string }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: 'https://graph.microsoft.com/.default' });
  const response = await fetch(`${cloud.authorityHost.replace(/\/$/, '')}/${cloud.tenantId}/oauth2/v2.0/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  const json = await response.json() as { error?: string; error_description?: string };
  return { status: response.status, error: json.error, description: json.error_description };
}

describe('offboarding an app Onboard made: disable at once, remove after the grace period, restore within it', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let stack: ReturnType<typeof provisioningStack>;
  let audit: TableAuditLog;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    const tables = testTables();
    stack = provisioningStack(endpointsOf(cloud, tables));
    audit = new TableAuditLog(createTableClientFactory(tables));
  });
  afterAll(async () => stop());

  async function provisionedMiradore() {
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const provisioned = await stack.provision.execute({ requestId: id });
    if (provisioned.kind !== 'provisioned') throw new Error(`provisioning ended ${provisioned.kind}: ${JSON.stringify(provisioned)}`);
    const made = provisioned.request.provisioning!.steps;
    const added = await rawGraph(cloud, 'POST', `/applications/${made.application!.id}/addPassword`, { passwordCredential: { displayName: 'vendor test' } });
    return { id, appId: made.application!.appId, objectId: made.application!.id, spId: made.servicePrincipal!.id, secret: added.json.secretText as string };
  }

  async function approveBoth(run: ReturnType<typeof offboardStack>, requestId: string, planHash: string) {
    const needed = (await stack.requests.get(requestId))!.value.requiredApprovals;
    for (const actor of [megan, adele].slice(0, needed)) {
      const decided = await run.decide.execute({ requestId, planHash, decision: 'approve', actor, correlationId: `t-${actor.id}` });
      expect(decided.kind).not.toBe('refused');
    }
    expect((await stack.requests.get(requestId))!.value.state).toBe('Approved');
  }

  it('disables sign-in at once (the vendor gets no token), removes every grant and credential and deletes the registration when due, and a restore within 30 days re-grants after a new approval', async () => {
    const app = await provisionedMiradore();
    expect((await signInAs(cloud, app.appId, app.secret)).status).toBe(200);
    const clock = new ManualClock(new Date());
    const off = offboardStack(cloud, stack.requests, audit, clock);

    const asked = await off.offboard.execute({ target: app.appId, actor: requester, correlationId: 't-ask' });
    if (asked.kind !== 'submitted') throw new Error(JSON.stringify(asked));
    expect(asked.request).toMatchObject({ state: 'PendingApproval', title: 'Offboard: Miradore', requiredApprovals: 1, risk: 'medium' });
    expect(off.notifier.submittedIds).toEqual([asked.request.id]);
    const again = await off.offboard.execute({ target: 'Miradore', actor: megan, correlationId: 't-again' });
    expect(again).toMatchObject({ kind: 'already-submitted', request: { id: asked.request.id } });

    await approveBoth(off, asked.request.id, asked.request.planHash);
    const step1 = await off.run.execute(asked.request.id);
    expect(step1.kind).toBe('disabled');
    const disabled = (await stack.requests.get(asked.request.id))!.value;
    expect(disabled.state).toBe('Disabled');
    expect(disabled.offboarding!.removeAfter!.slice(0, 10)).toBe(new Date(clock.now().getTime() + 14 * DAY).toISOString().slice(0, 10));
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${app.spId}`)).json.accountEnabled).toBe(false);
    const refused = await signInAs(cloud, app.appId, app.secret);
    expect(refused).toMatchObject({ status: 400, error: 'unauthorized_client' });
    expect(refused.description).toContain('AADSTS7000112');
    expect(off.notifier.told.at(-1)!.message).toContain('can no longer sign in');

    // Meanwhile the app gained a certificate, admin consent to a delegated scope and one person's own consent:
    // step 2 removes what the app holds when it runs, not what the plan listed.
    const certificate = createSelfSignedCertificate('miradore-vendor');
    expect((await rawGraph(cloud, 'PATCH', `/applications/${app.objectId}`, { keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.derBase64, displayName: 'CN=miradore-vendor' }] })).status).toBe(204);
    const graphSp = cloud.state.servicePrincipals.find((s) => s.appId === '00000003-0000-0000-c000-000000000000')!;
    expect((await rawGraph(cloud, 'POST', '/oauth2PermissionGrants', { clientId: app.spId, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'User.Read' })).status).toBe(201);
    expect((await rawGraph(cloud, 'POST', '/oauth2PermissionGrants', { clientId: app.spId, consentType: 'Principal', principalId: requester.id, resourceId: graphSp.id, scope: 'Mail.Read' })).status).toBe(201);

    // Not due yet: the sweeper leaves it alone, and the grants are still there.
    clock.advance(13 * DAY);
    expect(await off.sweeper.runOnce()).toEqual([]);
    const assignments = (await rawGraph(cloud, 'GET', `/servicePrincipals/${app.spId}/appRoleAssignments`)).json.value.length as number;
    expect(assignments).toBe((asked.request.plan as OffboardPlan).holds.permissions.filter((p) => p.type === 'Application').length);
    expect(assignments).toBeGreaterThan(0);

    clock.advance(1 * DAY + 60_000);
    const [step2] = await off.sweeper.runOnce();
    expect(step2.kind).toBe('offboarded');
    const done = (await stack.requests.get(asked.request.id))!.value;
    expect(done.state).toBe('Offboarded');
    expect(done.offboarding!.removal).toMatchObject({ appRoleAssignments: { removed: assignments }, delegatedGrants: { removed: 2 }, passwords: { removed: 2 }, certificates: { removed: 1 }, application: { removed: 1 } });
    expect((await rawGraph(cloud, 'GET', `/applications/${app.objectId}`)).status).toBe(404);
    const deleted = (await rawGraph(cloud, 'GET', '/directory/deletedItems/microsoft.graph.application')).json.value as { id: string; passwordCredentials: unknown[]; keyCredentials: unknown[] }[];
    expect(deleted.find((d) => d.id === app.objectId)).toMatchObject({ passwordCredentials: [], keyCredentials: [] });
    expect((await rawGraph(cloud, 'GET', `/oauth2PermissionGrants?$filter=clientId eq '${app.spId}'`)).json.value).toEqual([]);
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === app.spId)).toEqual([]);
    expect(off.notifier.told.at(-1)!.message).toContain('is offboarded');

    // A second sweep, or a late retry, changes nothing.
    expect(await off.sweeper.runOnce()).toEqual([]);
    expect((await off.run.execute(asked.request.id)).kind).toBe('skipped');
    const actions = (await audit.forRequest(asked.request.id)).map((e) => `${e.action}:${e.outcome}`);
    expect(actions.filter((a) => a.startsWith('offboard.')).sort()).toEqual(['offboard.disabled:ok', 'offboard.removed:ok', 'offboard.requested:ok']);

    // Ten days later (within Entra's 30), an approver restores it: back from deleted items, and its approved
    // permissions go through a normal approval again before anything is granted.
    clock.advance(10 * DAY);
    const restoring = await off.restore.execute({ target: 'Miradore', actor: megan, correlationId: 't-restore' });
    expect(restoring.kind).toBe('restoring');
    const [back] = await off.sweeper.runOnce();
    expect(back.kind).toBe('re-enabled');
    const restored = (await stack.requests.get(asked.request.id))!.value;
    expect(restored.state).toBe('Restored');
    expect((await rawGraph(cloud, 'GET', `/applications/${app.objectId}`)).status).toBe(200);
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${app.spId}`)).json.accountEnabled).toBe(true);
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${app.spId}/appRoleAssignments`)).json.value).toEqual([]);
    const regrant = (await stack.requests.get(restored.offboarding!.regrantRequestId!))!.value;
    expect(regrant).toMatchObject({ state: 'PendingApproval', requester: { id: megan.id }, title: 'Re-grant after restore: Miradore' });
    expect(off.notifier.told.find((t) => t.requestId === regrant.id)!.message).toContain('asks the approvers again');
    const selfApproved = await off.decide.execute({ requestId: regrant.id, planHash: regrant.planHash, decision: 'approve', actor: megan, correlationId: 't-self' });
    expect(selfApproved.kind).toBe('refused');
    await off.decide.execute({ requestId: regrant.id, planHash: regrant.planHash, decision: 'approve', actor: adele, correlationId: 't-re' });
    expect((await stack.requests.get(regrant.id))!.value.state).toBe('Approved');
    expect((await off.applyDriftFix.execute(regrant.id)).kind).toBe('applied');
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${app.spId}/appRoleAssignments`)).json.value).toHaveLength(assignments);
  });

  it('restore within the grace period turns sign-in back on, and removal never runs', async () => {
    const app = await provisionedMiradore();
    const clock = new ManualClock(new Date());
    const off = offboardStack(cloud, stack.requests, audit, clock);
    const asked = await off.offboard.execute({ target: app.appId, actor: requester, correlationId: 't-ask' });
    if (asked.kind !== 'submitted') throw new Error(JSON.stringify(asked));
    await approveBoth(off, asked.request.id, asked.request.planHash);
    expect((await off.run.execute(asked.request.id)).kind).toBe('disabled');
    expect((await signInAs(cloud, app.appId, app.secret)).status).toBe(400);

    const notApprover = await off.restore.execute({ target: app.appId, actor: isaiah, correlationId: 't-r0' });
    expect(notApprover).toMatchObject({ kind: 'refused' });
    expect((notApprover as { message: string }).message).toContain('Only members of the Onboard Approvers group');
    const restored = await off.restore.execute({ target: app.appId, actor: megan, correlationId: 't-r1' });
    expect(restored.kind).toBe('re-enabling');
    expect(off.pokes.length).toBe(1);
    const [reEnabled] = await off.sweeper.runOnce();
    expect(reEnabled.kind).toBe('re-enabled');
    expect((await stack.requests.get(asked.request.id))!.value.state).toBe('Restored');
    expect((await signInAs(cloud, app.appId, app.secret)).status).toBe(200);

    clock.advance(15 * DAY);
    expect(await off.sweeper.runOnce()).toEqual([]);
    expect((await rawGraph(cloud, 'GET', `/applications/${app.objectId}`)).status).toBe(200);
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${app.spId}/appRoleAssignments`)).json.value.length).toBeGreaterThan(0);
  });
});
