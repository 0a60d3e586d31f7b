import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import { credentialFor, graphClient, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, requester, tenantFor } from '../support/provisioningStack';

/**
 * "Application.ReadWrite.OwnedBy isn't sufficient to add another owner. Consent also to Application.ReadWrite.All."
 * (https://learn.microsoft.com/graph/api/application-post-owners). Onboard holds OwnedBy only, so it does not add
 * the requester as an owner (docs/deploy.md); the setting that would try fails the way a real tenant would.
 */
describe('the requester as an owner of the vendor app', () => {
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

  it('by default Onboard is the only owner, and the saga never asks Graph to add one', async () => {
    const stack = provisioningStack(endpointsOf(cloud, tables));
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    expect(await stack.provision.execute({ requestId: id })).toMatchObject({ kind: 'provisioned' });
    expect((await tenantFor(auditor, id)).owners).toEqual([cloud.worker.servicePrincipalId]);
  });

  it('asked to add the requester with OwnedBy alone, Graph refuses with 403 and the requester is not an owner', async () => {
    const stack = provisioningStack(endpointsOf(cloud, tables), { settings: { requesterAsOwner: true } });
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const outcome = await stack.provision.execute({ requestId: id });
    expect(outcome).toMatchObject({ kind: 'failed', request: { failure: { retryable: true } } });
    const owners = (await tenantFor(auditor, id)).owners;
    expect(owners).toEqual([cloud.worker.servicePrincipalId]);
    expect(owners).not.toContain(requester.id);
  });
});
