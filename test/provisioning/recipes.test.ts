import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import type { Progress, RegistrationRequest } from '../../src/domain/request';
import { MICROSOFT_GRAPH_APP_ID, passwordDisplayName, handoverSecretName } from '../../src/domain/provisioning';
import { credentialFor, graphClient, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan, seedRecipeCases } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, requester, tenantFor } from '../support/provisioningStack';
import type { InMemorySecretVault } from '../support/provisioningVault';

const sortBy = <T>(items: T[], key: (t: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));

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
      settings: { requesterAsOwner: true },
      progress: {
        stepDone: async (r: RegistrationRequest, p: Progress) => void progress.set(r.id, [...(progress.get(r.id) ?? []), p]),
        finished: async () => undefined,
        failed: async () => undefined,
      },
    });
    // The assertions read the tenant with an identity of their own, not the bot's and not the saga's record.
    auditor = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Test auditor', graphRoles: ['Application.Read.All', 'DelegatedPermissionGrant.Read.All'] })));
    graphSpId = (await auditor.api('/servicePrincipals').filter(`appId eq '${MICROSOFT_GRAPH_APP_ID}'`).select('id').get()).value[0].id;
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it.each(seedRecipeCases.map((c) => [c.name, c.build] as const))('%s: provisioned end to end, and Graph reads back exactly the plan', async (_name, build) => {
    const id = newRequestId();
    const plan = build(id);
    await approvedRequest(stack.requests, id, plan);
    const outcome = await stack.provision.execute({ requestId: id });
    expect(outcome).toMatchObject({ kind: 'provisioned', request: { state: 'Provisioned' } });

    const t = await tenantFor(auditor, id);
    expect(t.apps).toHaveLength(1);
    expect(t.sps).toHaveLength(1);
    const app = t.app;
    const { requiredResourceAccess, ...shape } = plan.application as { requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[] };
    expect(app).toMatchObject(shape);
    const self = plan.permissions.filter((p) => p.resourceAppId === '{appId}');
    expect(app.identifierUris).toEqual(self.length ? [`api://${app.appId}`] : []);
    const expectedAccess = [...requiredResourceAccess, ...(self.length ? [{ resourceAppId: app.appId, resourceAccess: self.map((p) => ({ id: p.id, type: 'Scope' })) }] : [])];
    const normalise = (list: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[]) => sortBy(list.map((r) => ({ ...r, resourceAccess: sortBy(r.resourceAccess, (a) => a.id + a.type) })), (r) => r.resourceAppId);
    expect(normalise(app.requiredResourceAccess)).toEqual(normalise(expectedAccess));

    const roles = plan.permissions.filter((p) => p.type === 'Application');
    expect(sortBy(t.assignments.map((a) => ({ resourceId: a.resourceId, appRoleId: a.appRoleId })), (a) => a.appRoleId)).toEqual(sortBy(roles.map((p) => ({ resourceId: graphSpId, appRoleId: p.id })), (a) => a.appRoleId));
    const delegated = plan.permissions.filter((p) => p.type === 'Delegated' && p.resourceAppId === MICROSOFT_GRAPH_APP_ID).map((p) => p.name);
    const expectedGrants = [
      ...(delegated.length ? [{ resourceId: graphSpId, scope: [...new Set(delegated)].sort().join(' ') }] : []),
      ...(self.length ? [{ resourceId: t.sp!.id, scope: self.map((p) => p.name).join(' ') }] : []),
    ];
    expect(t.grants.every((g) => g.consentType === 'AllPrincipals' && g.principalId === null)).toBe(true);
    expect(sortBy(t.grants.map((g) => ({ resourceId: g.resourceId, scope: g.scope.split(' ').sort().join(' ') })), (g) => g.resourceId)).toEqual(sortBy(expectedGrants, (g) => g.resourceId));

    const vault = stack.vault as InMemorySecretVault;
    const entry = vault.entries.get(handoverSecretName(id));
    if (plan.secret.issue) {
      expect(t.passwords).toEqual([expect.objectContaining({ displayName: passwordDisplayName(id) })]);
      expect(entry?.tags).toMatchObject({ requestId: id, keyId: t.passwords![0].keyId, appId: app.appId });
      expect(entry?.value.slice(0, 3)).toBe(t.passwords![0].hint);
    } else {
      expect(t.passwords).toEqual([]);
      expect(entry).toBeUndefined();
    }
    expect(t.owners.sort()).toEqual([cloud.bot.servicePrincipalId, requester.id].sort());

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
