import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import type { GraphCallRecord } from '../../src/adapters/graph/graphClient';
import { retryProvisioning } from '../../src/domain/request';
import { credentialFor, graphClient, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan, largestCirrusConnect } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, tenantFor } from '../support/provisioningStack';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';

const lacks = (role: string) => `Onboard's identity lacks ${role}; see README › Permissions`;

describe('provisioning when Onboard\'s own identity lacks a Graph role', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let auditor: Client;
  const tables = testTables();
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    auditor = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Test auditor', graphRoles: ['Application.Read.All', 'DelegatedPermissionGrant.Read.All'] })));
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('fails at once with the explanation, before creating anything; Retry after the grant completes it', async () => {
    cloud.revokeWorkerRole('AppRoleAssignment.ReadWrite.All');
    const calls: GraphCallRecord[] = [];
    // A new stack is a new credential, so its token carries the roles as they are now.
    const stack = provisioningStack(endpointsOf(cloud, tables), { directory: { observe: (c) => calls.push(c) } });
    const id = newRequestId();
    const plan = miradorePlan(id);
    await approvedRequest(stack.requests, id, plan);
    // "At once" means before any Graph write: Onboard only reads its own roles (its service principal's
    // appRoleAssignments; tokens are opaque to it), so `calls` holds GETs alone below.
    const outcome = await stack.provision.execute({ requestId: id });
    expect(outcome).toMatchObject({ kind: 'failed', request: { state: 'Failed', failure: { retryable: true } } });
    const failed = (await stack.requests.get(id))!.value;
    expect(failed.failure?.message).toContain(lacks('AppRoleAssignment.ReadWrite.All'));
    expect(failed.failure?.message).toContain('Nothing was created in the directory.');
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(calls.map((c) => new URL(c.url).pathname).some((p) => p.endsWith('/appRoleAssignments'))).toBe(true);
    expect((await tenantFor(auditor, id)).apps).toEqual([]);
    expect((await stack.audit.forRequest(id)).map((e) => `${e.action}:${e.outcome}`).sort()).toEqual(['provisioning.failed:failed', 'provisioning.started:ok']);

    cloud.grantWorkerRole('AppRoleAssignment.ReadWrite.All');
    const retried = retryProvisioning(failed, { id: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' }, new Date());
    expect(retried.ok).toBe(true);
    await stack.requests.update(retried.ok ? retried.request : failed, (await stack.requests.get(id))!.etag);
    const after = provisioningStack(endpointsOf(cloud, tables));
    expect(await after.provision.execute({ requestId: id })).toMatchObject({ kind: 'provisioned' });
    await expectTenantMatchesPlan({ auditor, graphSpId: await graphServicePrincipalId(auditor), requestId: id, plan });
  });

  it('a role lost between the check and the call fails at that step and lists exactly what was created', async () => {
    cloud.revokeWorkerRole('DelegatedPermissionGrant.ReadWrite.All');
    const stack = provisioningStack(endpointsOf(cloud, tables));
    // As if the token were refreshed without the role after the start-up check passed.
    stack.directory.ownRoles = async () => ['Application.ReadWrite.OwnedBy', 'Application.Read.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'];
    const id = newRequestId();
    await approvedRequest(stack.requests, id, largestCirrusConnect(id));
    const outcome = await stack.provision.execute({ requestId: id });
    cloud.grantWorkerRole('DelegatedPermissionGrant.ReadWrite.All');
    expect(outcome.kind).toBe('failed');
    const failed = (await stack.requests.get(id))!.value;
    const t = await tenantFor(auditor, id);
    expect(failed.failure?.message).toContain(lacks('DelegatedPermissionGrant.ReadWrite.All'));
    expect(failed.failure?.message).toContain(`application ${t.app.appId} (object ${t.app.id})`);
    expect(failed.failure?.message).toContain(`service principal ${t.sp!.id}`);
    expect(failed.failure?.message).toContain(`client secret ${t.passwords[0].keyId}`);
    expect(t.passwords).toHaveLength(1);
    // Onboard alone owns what it creates: OwnedBy cannot add the requester (docs/deploy.md).
    expect(t.owners).toEqual([cloud.worker.servicePrincipalId]);
    expect(failed.lease).toBeUndefined();
  });
});
