import type { LocalCloud } from '../../src/localcloud';
import { passwordDisplayName } from '../../src/domain/provisioning';
import { startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { largestCirrusConnect } from '../support/provisioningPlans';
import { approvedRequest, newRequestId, tenantFor } from '../support/provisioningStack';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';
import { auditorOf, faultStack, sleep, vaultedSecret } from './faultStack';

const OUTAGE_MS = 30_000;

describe('Key Vault unavailable for 30 s during a provisioning', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ cloud, stop } = await startTestCloud()));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('the registration completes without a secret left behind, the requester is told, and nothing is duplicated', async () => {
    const { auditor } = auditorOf(cloud);
    const stack = faultStack(cloud, testTables());
    const id = newRequestId();
    const plan = largestCirrusConnect(id);
    await approvedRequest(stack.requests, id, plan);
    // Every Key Vault route answers 503 for the whole outage; Graph and the token endpoint keep working.
    cloud.faults.set({ id: 'vault-down', route: '/secrets/*', status: 503 });
    const outageOver = sleep(OUTAGE_MS).then(() => cloud.faults.clear());
    const outcome = await stack.provision.execute({ requestId: id });
    const refused = cloud.faults.counts().byRule['vault-down']?.unavailable ?? 0;
    await outageOver;

    expect(refused).toBeGreaterThan(0);
    expect(outcome.kind).toBe('provisioned');
    const stored = (await stack.requests.get(id))!.value;
    expect(stored.state).toBe('Provisioned');
    // Recorded for the handover, which tells the requester and approvers to rotate once the vault is back.
    expect(stored.provisioning?.secretNotDelivered?.reason).toMatch(/\S/);
    // Exactly one app and service principal with every grant of the plan; the secret that could not be vaulted was withdrawn.
    await expectTenantMatchesPlan({ auditor, graphSpId: await graphServicePrincipalId(auditor), requestId: id, plan: { ...plan, secret: { ...plan.secret, issue: false } } });
    expect((await tenantFor(auditor, id)).passwords.filter((p) => p.displayName === passwordDisplayName(id))).toEqual([]);
    expect(vaultedSecret(cloud, id)).toBeUndefined();
    // The requester hears at once that the app exists but has no secret, and what to do about it.
    const told = stack.notifier.told(id).join('\n');
    expect(told).toMatch(/registered, but its client secret was not delivered/);
    expect(told).toMatch(/Rotate/);
    expect(told).not.toMatch(/registered and verified/);
  }, 60_000);
});
