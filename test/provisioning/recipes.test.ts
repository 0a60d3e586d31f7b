import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import type { Progress, RegistrationRequest } from '../../src/domain/request';
import { handoverSecretName } from '../../src/domain/provisioning';
import { credentialFor, graphClient, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan, seedRecipeCases } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, tenantFor } from '../support/provisioningStack';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';
import type { InMemorySecretVault } from '../support/provisioningVault';

describe('provisioning every seed recipe through Graph with the bot identity', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let stack: ReturnType<typeof provisioningStack>;
  let auditor: Client;
  let graphSpId: string;
  const progress = new Map<string, Progress[]>();

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    stack = provisioningStack(endpointsOf(cloud, testTables()), {
      progress: {
        stepDone: async (r: RegistrationRequest, p: Progress) => void progress.set(r.id, [...(progress.get(r.id) ?? []), p]),
        finished: async () => undefined,
        failed: async () => undefined,
      },
    });
    // The assertions read the tenant with an identity of their own, not the bot's and not the saga's record.
    auditor = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Test auditor', graphRoles: ['Application.Read.All', 'DelegatedPermissionGrant.Read.All'] })));
    graphSpId = await graphServicePrincipalId(auditor);
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it.each(seedRecipeCases.map((c) => [c.name, c.build] as const))('%s: provisioned end to end, and Graph reads back exactly the plan', async (_name, build) => {
    const id = newRequestId();
    const plan = build(id);
    await approvedRequest(stack.requests, id, plan);
    const outcome = await stack.provision.execute({ requestId: id });
    expect(outcome).toMatchObject({ kind: 'provisioned', request: { state: 'Provisioned' } });

    const vault = (stack.vault as InMemorySecretVault).entries.get(handoverSecretName(id));
    await expectTenantMatchesPlan({ auditor, graphSpId, requestId: id, plan, vault, owners: [cloud.worker.servicePrincipalId] });

    const stored = (await stack.requests.get(id))!.value;
    expect(stored.provisioning?.steps.verify?.permissions.every((p) => p.verified)).toBe(true);
    expect(stored.provisioning?.tenant).toEqual({ id: cloud.tenantId, displayName: cloud.tenantName });
    expect(stored.lease).toBeUndefined();
    const seen = progress.get(id) ?? [];
    expect(seen.at(-1)).toMatchObject({ step: seen.at(-1)!.total, label: 'everything verified' });
    expect(seen.map((p) => p.step)).toEqual([...seen.map((p) => p.step)].sort((a, b) => a - b));
    expect((await stack.audit.forRequest(id)).map((e) => e.action).sort()).toEqual(['provisioned', 'provisioning.started']);
  });

  it('a second run for a provisioned request does nothing', async () => {
    const id = newRequestId();
    const plan = miradorePlan(id);
    await approvedRequest(stack.requests, id, plan);
    expect((await stack.provision.execute({ requestId: id })).kind).toBe('provisioned');
    expect(await stack.provision.execute({ requestId: id })).toEqual({ kind: 'skipped', reason: 'not-provisionable' });
    expect((await tenantFor(auditor, id)).apps).toHaveLength(1);
  });
});
