/**
 * Issue #13, "Predictable idempotency key" and "Forged verification state": someone who can register apps
 * (here an app identity with Application.ReadWrite.All, as a rogue admin tool would have) prepares an app
 * for Onboard to grant to, or slips an owner or a secret into Onboard's app while the saga runs. Onboard
 * must never grant the approved permissions to an app anyone else can use.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import type { Directory } from '../../src/app/directoryPort';
import { credentialFor, graphClient, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';

const ISAIAH = '00000000-0000-0000-0000-0000000000023';

describe('an app someone else can use never receives the approved permissions', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let mallory: Client;
  const tables = testTables();

  beforeAll(async () => {
    // No faults: each attack below must land exactly where the test puts it.
    ({ cloud, stop } = await startTestCloud({ faults: [] }));
    const tool = cloud.addClientApp({ displayName: 'Mallory tool', graphRoles: ['Application.ReadWrite.All', 'Application.Read.All'] });
    mallory = graphClient(cloud, credentialFor(cloud, tool));
  });
  afterAll(async () => stop());

  const grantsTo = (appId: string) => {
    const sps = cloud.state.servicePrincipals.filter((s) => s.appId === appId).map((s) => s.id);
    return [...cloud.state.appRoleAssignments.filter((a) => sps.includes(a.principalId as string)), ...cloud.state.oauth2PermissionGrants.filter((g) => sps.includes(g.clientId as string))];
  };

  /** Mallory's app under `uniqueName`, with Onboard's writing identity (the worker's) added as a co-owner and a password of Mallory's own. */
  async function trap(uniqueName: string) {
    await mallory.api(`/applications(uniqueName='${uniqueName}')`).header('Prefer', 'create-if-missing').patch({ displayName: 'Miradore' });
    const app = await mallory.api(`/applications(uniqueName='${uniqueName}')`).select('id,appId').get() as { id: string; appId: string };
    await mallory.api(`/applications/${app.id}/owners/$ref`).post({ '@odata.id': `${cloud.graphBaseUrl}/directoryObjects/${cloud.worker.servicePrincipalId}` });
    await mallory.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'mallory' } });
    return app;
  }

  it('an app pre-created under the uniqueName derived the old way (onboard-<REQ>) is never touched', async () => {
    const stack = provisioningStack(endpointsOf(cloud, tables));
    const id = newRequestId();
    const bait = await trap(`onboard-${id}`);
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const outcome = await stack.provision.execute({ requestId: id });
    expect(outcome.kind).toBe('provisioned');
    const record = (await stack.requests.get(id))!.value.provisioning!;
    expect(record.key).toMatch(new RegExp(`^onboard-${id}-[a-z2-7]{16}$`));
    expect(record.steps.application!.id).not.toBe(bait.id);
    expect(grantsTo(bait.appId)).toEqual([]);
  });

  it('an app pre-created under the very uniqueName Onboard will use (had it leaked): refused before any grant, with a clear failure', async () => {
    const stack = provisioningStack(endpointsOf(cloud, tables), { ids: { unguessable: () => 'leakedleakedleak' } });
    const id = newRequestId();
    const bait = await trap(`onboard-${id}-leakedleakedleak`);
    const before = { roles: cloud.state.appRoleAssignments.length, grants: cloud.state.oauth2PermissionGrants.length, sps: cloud.state.servicePrincipals.length };
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const outcome = await stack.provision.execute({ requestId: id });
    expect(outcome).toMatchObject({ kind: 'failed', request: { state: 'Failed', failure: { retryable: false } } });
    const failure = (await stack.requests.get(id))!.value.failure!;
    expect(failure.message).toContain(`An application with this request's uniqueName (onboard-${id}-leakedleakedleak, object ${bait.id}) already existed before Onboard first asked for it`);
    expect(failure.message).toContain('Nothing was created in the directory.');
    expect(grantsTo(bait.appId)).toEqual([]);
    expect({ roles: cloud.state.appRoleAssignments.length, grants: cloud.state.oauth2PermissionGrants.length, sps: cloud.state.servicePrincipals.length }).toEqual(before);
    expect((await stack.audit.forRequest(id)).find((e) => e.action === 'provisioning.refused')).toMatchObject({ outcome: 'refused' });
  });

  /** A directory that lets Mallory act once the application exists, before anything else happens to it. */
  const afterApplication = (attack: (app: { id: string; appId: string }) => Promise<void>) => (directory: Directory): Directory => Object.assign(Object.create(directory) as Directory, {
    upsertApplication: async (...args: Parameters<Directory['upsertApplication']>) => {
      const app = await directory.upsertApplication(...args);
      await attack(app);
      return app;
    },
  });

  it.each([
    ['an extra owner', async (app: { id: string }) => void await mallory.api(`/applications/${app.id}/owners/$ref`).post({ '@odata.id': `${cloud.graphBaseUrl}/directoryObjects/${ISAIAH}` }), new RegExp(`${ISAIAH} is an owner of the application, and Onboard did not make it one`)],
    ['a foreign password', async (app: { id: string }) => void await mallory.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'backup' } }), /the application has a client secret Onboard did not add \([0-9a-f-]+, "backup"\)/],
    ['a redirect URI of its own', async (app: { id: string }) => void await mallory.api(`/applications/${app.id}`).patch({ web: { redirectUris: ['https://evil.example/callback'] } }), /the web redirect URIs are \["https:\/\/evil.example\/callback"\]/],
  ])('%s added mid-saga stops it before any grant, and the approvers are told why', async (_name, attack, reason) => {
    const told: string[] = [];
    const stack = provisioningStack(endpointsOf(cloud, tables), {
      decorate: afterApplication(attack),
      progress: { stepDone: async () => undefined, finished: async () => undefined, failed: async (r) => void told.push(r.failure!.message) },
    });
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const outcome = await stack.provision.execute({ requestId: id });
    expect(outcome).toMatchObject({ kind: 'failed', request: { state: 'Failed', failure: { retryable: false } } });
    const stored = (await stack.requests.get(id))!.value;
    expect(stored.failure!.message).toMatch(/^Onboard stopped before granting any permission/);
    expect(stored.failure!.message).toMatch(reason);
    expect(stored.provisioning!.steps.grants).toBeUndefined();
    expect(grantsTo(stored.provisioning!.steps.application!.appId)).toEqual([]);
    expect(told).toEqual([stored.failure!.message]);
  });
});
