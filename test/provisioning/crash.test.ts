import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import { handoverSecretName } from '../../src/domain/provisioning';
import { credentialFor, graphClient, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { largestCirrusConnect } from '../support/provisioningPlans';
import { uniqueNamePrefix } from '../../src/domain/provisioning';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, requester, type SagaEndpoints } from '../support/provisioningStack';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';
import { runnerDir, startRunner, withProcessSlot } from '../support/provisioningProcesses';
import { readVaultFile } from '../support/provisioningVault';

/** Every place a bot process can die: after each step is recorded, and after each call returned but before its record. */
const deathPoints = [
  'call:ownRoles', 'call:upsertApplication', 'after:application', 'call:patchApplication', 'after:exposeApi',
  'call:ensureServicePrincipal', 'after:servicePrincipal', 'call:addOwner', 'after:owners', 'call:addPassword', 'vault',
  'after:vault', 'call:grant', 'after:grants', 'call:readBack', 'after:verify',
];
const LEASE_MS = 1_500;
/** The file's budget: every case may wait for a process slot, so each gets all of it; a hang still fails. */
const BUDGET_MS = 400_000;

describe('a bot process killed (SIGKILL) at any point of provisioning, then restarted', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let auditor: Client;
  let graphSpId: string;
  let endpoints: SagaEndpoints;
  let dir: string;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    // The owners step has crash points of its own; only Application.ReadWrite.All may add an owner (docs/deploy.md).
    cloud.grantWorkerRole('Application.ReadWrite.All');
    auditor = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Test auditor', graphRoles: ['Application.Read.All', 'DelegatedPermissionGrant.Read.All'] })));
    graphSpId = await graphServicePrincipalId(auditor);
    endpoints = endpointsOf(cloud, testTables());
    dir = runnerDir();
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  const runner = (id: string, mode: 'once' | 'resume', dieAt?: string) =>
    startRunner({ endpoints, owner: `${mode}-${id}`, leaseMs: LEASE_MS, vaultFile: join(dir, `${id}.json`), requesterAsOwner: true, dieAt, mode: { kind: mode, requestId: id }, timeoutMs: BUDGET_MS });

  /** The restarted process finishes the saga; the tenant then holds exactly the plan, with the vaulted secret the only live one. */
  async function restartAndCheck(id: string, plan: ReturnType<typeof largestCirrusConnect>) {
    const second = runner(id, 'resume');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.events).toContainEqual({ event: 'outcome', outcome: 'provisioned' });
    const vault = readVaultFile(join(dir, `${id}.json`))[handoverSecretName(id)];
    await expectTenantMatchesPlan({ auditor, graphSpId, requestId: id, plan, vault, owners: [cloud.worker.servicePrincipalId, requester.id] });
    const stack = provisioningStack(endpoints);
    const stored = (await stack.requests.get(id))!.value;
    expect(stored.state).toBe('Provisioned');
    expect(stored.history.filter((h) => h.to === 'Provisioning')).toHaveLength(1);
    expect((await stack.audit.forRequest(id)).map((e) => e.action).sort()).toEqual(['provisioned', 'provisioning.resumed', 'provisioning.started']);
  }

  it.concurrent.each(deathPoints)('killed at %s: the restart completes with exactly 1 app, 1 SP, 1 live secret and every grant', (dieAt) => withProcessSlot(async () => {
    const id = newRequestId();
    const plan = largestCirrusConnect(id);
    await approvedRequest(provisioningStack(endpoints).requests, id, plan);
    const first = runner(id, 'once', dieAt);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(first.events).toContainEqual({ event: 'dying', where: dieAt });
    await restartAndCheck(id, plan);
  }), BUDGET_MS);

  it('killed in the middle of the grants $batch: the restart completes exactly', () => withProcessSlot(async () => {
    const id = newRequestId();
    const plan = largestCirrusConnect(id);
    const expectedGrants = plan.permissions.filter((p) => p.type === 'Application').length;
    await approvedRequest(provisioningStack(endpoints).requests, id, plan);
    // Each granted role takes a while, so the batch is still running on the server when the process dies.
    cloud.faults.set({ id: 'slow-grants', route: 'POST /v1.0/servicePrincipals/*/appRoleAssignedTo', latencyMs: 250 });
    const first = runner(id, 'once');
    await first.event('grant-sent');
    const spOf = () => cloud.state.servicePrincipals.find((sp) => sp.appId === cloud.state.applications.find((a) => String(a.uniqueName).startsWith(uniqueNamePrefix(id)))?.appId)?.id;
    let made = 0;
    // Bounded by the test's own timeout rather than a guess of how slow a loaded machine is.
    for (; made === 0; await new Promise((r) => setTimeout(r, 10))) {
      made = cloud.state.appRoleAssignments.filter((a) => a.principalId === spOf()).length;
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(expectedGrants);
    cloud.faults.clear();
    await restartAndCheck(id, plan);
  }), BUDGET_MS);
});
