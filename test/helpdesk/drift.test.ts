import type { LocalCloud } from '../../src/localcloud';
import type { Inspection, InspectOutcome } from '../../src/app/helpdesk/inspectApp';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan, seedRecipeCases } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { counted, helpdeskActor, helpdeskStack } from './helpdeskStack';

const found = (outcome: InspectOutcome): Inspection => {
  if (outcome.kind !== 'found') throw new Error(`expected one app, got ${outcome.kind}`);
  return outcome.inspection;
};

describe('inspecting apps Onboard provisioned: drift from the approved plan', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let stack: ReturnType<typeof provisioningStack>;
  let helpdesk: ReturnType<typeof helpdeskStack>;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    stack = provisioningStack(endpointsOf(cloud, testTables()));
    helpdesk = helpdeskStack(cloud, stack.requests);
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  const provision = async (build: (seed: string) => Parameters<typeof approvedRequest>[2]) => {
    const id = newRequestId();
    await approvedRequest(stack.requests, id, build(id));
    const outcome = await stack.provision.execute({ requestId: id });
    if (outcome.kind !== 'provisioned') throw new Error(`provisioning ended ${outcome.kind}`);
    return { id, appId: outcome.request.provisioning!.steps.application!.appId };
  };

  it.each(seedRecipeCases.map((c) => [c.name, c.build] as const))('%s: freshly provisioned, shows no drift, in at most 4 Graph requests', async (_name, build) => {
    const { id, appId } = await provision(build);
    const { result, requests } = await counted(helpdesk.calls, () => helpdesk.inspect.execute({ target: appId, actor: helpdeskActor }));
    const inspection = found(result);
    expect(inspection.requestId).toBe(id);
    expect(inspection.drift).toMatchObject({ source: `request ${id}, as approved`, missing: [], extra: [], shape: [] });
    expect(inspection.permissions.length).toBeGreaterThan(0);
    expect(inspection.permissions.filter((p) => !p.requested || p.granted !== 'admin')).toEqual([]);
    expect(inspection.owners.map((o) => o.id)).toContain(cloud.worker.servicePrincipalId);
    expect(requests.length).toBeLessThanOrEqual(4);
  });

  it('a grant removed in the tenant shows as exactly that missing permission', async () => {
    const { appId } = await provision(miradorePlan);
    const sp = cloud.state.servicePrincipals.find((s) => s.appId === appId)!;
    const groupRead = '5b567255-7703-4780-807c-7be8301ae99b';
    const assignment = cloud.state.appRoleAssignments.find((a) => a.principalId === sp.id && a.appRoleId === groupRead)!;
    expect((await rawGraph(cloud, 'DELETE', `/servicePrincipals/${sp.id}/appRoleAssignments/${assignment.id}`)).status).toBe(204);

    const again = found(await helpdesk.inspect.execute({ target: appId, actor: helpdeskActor }));
    expect(again.drift!.missing.map((m) => [m.name, m.type, m.problem])).toEqual([['Group.Read.All', 'Application', 'requested, not granted']]);
    expect(again.drift!.extra).toEqual([]);
    expect(again.permissions.find((p) => p.name === 'Group.Read.All')).toMatchObject({ requested: true, granted: 'no' });
  });
});
