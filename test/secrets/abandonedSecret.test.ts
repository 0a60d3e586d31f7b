import type { LocalCloud } from '../../src/localcloud';
import { WithdrawAbandonedSecrets } from '../../src/app/secrets/withdrawAbandonedSecrets';
import { systemClock } from '../../src/app/ports';
import { handoverSecretName, passwordDisplayName } from '../../src/domain/provisioning';
import { cancel } from '../../src/domain/request';
import { startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, requester } from '../support/provisioningStack';
import type { InMemorySecretVault } from '../support/provisioningVault';

describe('a request cancelled after its saga stored a secret', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ cloud, stop } = await startTestCloud()));
  afterAll(() => stop());

  it('keeps no live password and no vault entry', async () => {
    const stack = provisioningStack(endpointsOf(cloud, testTables()));
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    expect((await stack.provision.execute({ requestId: id })).kind).toBe('provisioned');
    const vault = stack.vault as InMemorySecretVault;
    expect(vault.entries.has(handoverSecretName(id))).toBe(true);

    // As if the saga had failed after the vault step and the requester then cancelled: no link was ever issued.
    const provisioned = (await stack.requests.get(id))!;
    const failed = (await stack.requests.update({ ...provisioned.value, state: 'Failed', failure: { at: new Date().toISOString(), message: 'grants failed', retryable: true } }, provisioned.etag));
    const cancelled = cancel(failed.value, requester, new Date());
    if (!cancelled.ok) throw new Error('could not cancel');
    await stack.requests.update(cancelled.request, failed.etag);
    const appId = provisioned.value.provisioning!.steps.application!.appId;
    const ours = () => ((cloud.state.applications.find((a) => (a as { appId: string }).appId === appId) as { passwordCredentials: { displayName?: string }[] }).passwordCredentials).filter((p) => p.displayName === passwordDisplayName(id));
    expect(ours()).toHaveLength(1);

    const withdraw = new WithdrawAbandonedSecrets({ requests: stack.requests, vault, directory: stack.directory, audit: stack.audit, clock: systemClock });
    expect(await withdraw.sweep()).toBe(1);
    expect(ours()).toEqual([]);
    expect(vault.entries.has(handoverSecretName(id))).toBe(false);
    expect((await stack.requests.get(id))!.value.handover?.withdrawnAt).toBeDefined();
    expect(await withdraw.sweep()).toBe(0);
  }, 60_000);
});
