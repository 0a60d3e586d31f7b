/**
 * Issue #13, "Drift fix after a crash": a drift fix approved while no saga picks it up (the process died right
 * after the click) is resumed by the provisioning sweeper, which must apply the fix, not run the
 * registration saga on it (which used to fail it permanently: "The stored plan has no application body").
 */
import type { LocalCloud } from '../../src/localcloud';
import { composeDriftFix, composeHelpdesk } from '../../src/compose/helpdesk';
import { createGraphClient } from '../../src/adapters/graph/graphClient';
import { createCredential } from '../../src/adapters/identity/credentials';
import { GraphMembership } from '../../src/adapters/graph/graphMembership';
import { DecideApproval } from '../../src/app/approvals/decideApproval';
import { ApprovedWorkDispatcher } from '../../src/app/provisioning/approvedWork';
import { ProvisioningSweeper } from '../../src/app/provisioningSweeper';
import { systemClock } from '../../src/app/ports';
import { silentLogger } from '../../src/logging';
import { SEED } from '../../src/localcloud/seedIds';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan } from '../support/provisioningPlans';
import { adele, approvedRequest, endpointsOf, megan, newRequestId, provisioningStack, testApprovalSigner, testPolicy } from '../support/provisioningStack';
import { RecordingNotifier } from '../faults/faultStack';

const GROUP_READ_ALL = '5b567255-7703-4780-807c-7be8301ae99b';

describe('a drift fix approved and then picked up by the sweeper', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ cloud, stop } = await startTestCloud()));
  afterAll(async () => stop());

  it('is applied by the drift fix use case and completes', async () => {
    const endpoints = endpointsOf(cloud, testTables());
    const stack = provisioningStack(endpoints);
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const provisioned = await stack.provision.execute({ requestId: id });
    if (provisioned.kind !== 'provisioned') throw new Error(provisioned.kind);
    const appId = provisioned.request.provisioning!.steps.application!.appId;
    const sp = cloud.state.servicePrincipals.find((s) => s.appId === appId)!;
    const assignment = cloud.state.appRoleAssignments.find((a) => a.principalId === sp.id && a.appRoleId === GROUP_READ_ALL)!;
    expect((await rawGraph(cloud, 'DELETE', `/servicePrincipals/${sp.id}/appRoleAssignments/${assignment.id}`)).status).toBe(204);

    // The helpdesk and approval use cases over the real adapters, as compose wires them; nothing runs after the click.
    const credential = createCredential({ profile: 'local', identity: { kind: 'clientSecret', tenantId: endpoints.tenantId, clientId: endpoints.clientId, clientSecret: endpoints.clientSecret, authorityHost: endpoints.authorityHost } });
    const { client: graph } = createGraphClient({ credential, baseUrl: endpoints.graphBaseUrl });
    const membership = new GraphMembership(graph, 0);
    const groups = { approvers: SEED.groups.approvers, helpdesk: SEED.groups.helpdesk };
    const notifier = new RecordingNotifier();
    // The bot asks for the fix (helpdesk); the worker applies it, behind the same guard as the saga.
    const { helpdesk } = composeHelpdesk({
      graph, requests: stack.requests, audit: stack.audit, clock: systemClock, logger: silentLogger(), notifier, membership, groups, policy: testPolicy,
      expiryMs: 86_400_000, poster: { post: async () => 'no-channel' },
    });
    const applyDriftFix = composeDriftFix({ graph, requests: stack.requests, audit: stack.audit, notifier, clock: systemClock, guard: stack.guard });
    const asked = await helpdesk!.fixDrift.execute({ appId, actor: megan, correlationId: 'fix-1' });
    if (asked.kind !== 'submitted') throw new Error(JSON.stringify(asked));
    const decide = new DecideApproval({ requests: stack.requests, audit: stack.audit, membership, groups, policy: testPolicy, clock: systemClock, signer: testApprovalSigner });
    expect(await decide.execute({ requestId: asked.request.id, planHash: asked.request.planHash, decision: 'approve', actor: adele, correlationId: 'approve-1' })).toMatchObject({ kind: 'decided', outcome: 'approved' });

    const dispatcher = new ApprovedWorkDispatcher({ requests: stack.requests, handlers: { registration: (input) => stack.provision.execute(input), 'drift-fix': (input) => applyDriftFix!.execute(input.requestId) } });
    const outcomes = await new ProvisioningSweeper({ requests: stack.requests, provision: dispatcher, clock: systemClock }).runOnce();
    expect(outcomes).toContainEqual(expect.objectContaining({ kind: 'applied' }));
    expect((await stack.requests.get(asked.request.id))!.value.state).toBe('Provisioned');
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === sp.id && a.appRoleId === GROUP_READ_ALL)).toHaveLength(1);
    expect(cloud.state.applications.filter((a) => a.appId === appId)).toHaveLength(1);
  });
});
