import type { LocalCloud } from '../../src/localcloud';
import { createCredential } from '../../src/adapters/identity/credentials';
import { createGraphClient } from '../../src/adapters/graph/graphClient';
import { GraphMembership } from '../../src/adapters/graph/graphMembership';
import { VaultApprovalSigner } from '../../src/adapters/keyvault/vaultApprovalSigner';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { DecideApproval } from '../../src/app/approvals/decideApproval';
import type { RegistrationRequest } from '../../src/domain/request';
import { SEED } from '../../src/localcloud/seedIds';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { ManualClock } from '../support/fakes';
import { composeForTest } from '../support/onboard';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, megan, newRequestId, provisioningStack, requester, testPolicy } from '../support/provisioningStack';

describe('offboarding as compose wires it: the bot records, the worker disables at once and removes when due', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env, { clock }, cloud.workerEnvironment());
  });
  afterAll(async () => {
    await onboard.close();
    await stop();
  });

  it('runs step 1 on the worker\'s pick-up after approval, and step 2 from its sweep once the grace period is over', async () => {
    const stack = provisioningStack(endpointsOf(cloud, onboard.config.tables));
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const provisioned = await stack.provision.execute({ requestId: id });
    const steps = (provisioned as { request: RegistrationRequest }).request.provisioning!.steps;
    expect(onboard.config.policy.offboardGraceDays).toBe(14);

    const asked = await onboard.offboarding!.offboard.execute({ target: steps.application!.appId, actor: requester, correlationId: 'w-1' });
    if (asked.kind !== 'submitted') throw new Error(JSON.stringify(asked));
    // The approval as the bot records it, signed with the key in the local Key Vault that the worker checks.
    const requests = new TableRequestStore(createTableClientFactory(onboard.config.tables));
    const botGraph = createGraphClient({ credential: createCredential(onboard.config), baseUrl: cloud.graphBaseUrl }).client;
    await onboard.worker!.health();
    const decide = new DecideApproval({
      requests, audit: new TableAuditLog(createTableClientFactory(onboard.config.tables)), membership: new GraphMembership(botGraph, 0),
      groups: { approvers: SEED.groups.approvers, helpdesk: SEED.groups.helpdesk }, policy: testPolicy, clock, signer: new VaultApprovalSigner(onboard.secrets.vault!, { createIfMissing: false }),
    });
    expect((await decide.execute({ requestId: asked.request.id, planHash: asked.request.planHash, decision: 'approve', actor: megan, correlationId: 'w-2' })).kind).not.toBe('refused');
    await onboard.settled();
    expect((await requests.get(asked.request.id))!.value.state).toBe('Disabled');
    expect((await rawGraph(cloud, 'GET', `/servicePrincipals/${steps.servicePrincipal!.id}`)).json.accountEnabled).toBe(false);

    clock.advance(15 * 86_400_000);
    await onboard.settled();
    expect((await requests.get(asked.request.id))!.value.state).toBe('Offboarded');
    expect((await rawGraph(cloud, 'GET', `/applications/${steps.application!.id}`)).status).toBe(404);
  });
});
