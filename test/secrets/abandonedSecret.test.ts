import type { LocalCloud } from '../../src/localcloud';
import { WithdrawAbandonedSecrets } from '../../src/app/secrets/withdrawAbandonedSecrets';
import { systemClock } from '../../src/app/ports';
import { handoverSecretName, passwordDisplayName } from '../../src/domain/provisioning';
import { cancel, retryProvisioning, type RegistrationRequest } from '../../src/domain/request';
import { startTestCloud } from '../localcloud/helpers';
import { ManualClock } from '../support/fakes';
import { testTables } from '../support/tables';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, requester } from '../support/provisioningStack';
import type { InMemorySecretVault } from '../support/provisioningVault';

describe('a saga that failed after storing its secret', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let stack: ReturnType<typeof provisioningStack>;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    stack = provisioningStack(endpointsOf(cloud, testTables()));
  });
  afterAll(() => stop());

  const vault = () => stack.vault as InMemorySecretVault;
  const ours = (appId: string, id: string) => ((cloud.state.applications.find((a) => (a as { appId: string }).appId === appId) as { passwordCredentials: { displayName?: string }[] }).passwordCredentials).filter((p) => p.displayName === passwordDisplayName(id));
  const withdrawAt = (clock: { now(): Date }) => new WithdrawAbandonedSecrets({ requests: stack.requests, vault: vault(), directory: stack.directory, audit: stack.audit, clock });

  /** A request whose saga stored its secret, then failed before finishing (as a grants failure would leave it). */
  async function failedAfterVault(): Promise<{ id: string; appId: string; failed: RegistrationRequest }> {
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    expect((await stack.provision.execute({ requestId: id })).kind).toBe('provisioned');
    const done = (await stack.requests.get(id))!;
    const failed = await stack.requests.update({ ...done.value, state: 'Failed', failure: { at: new Date().toISOString(), message: 'grants failed', retryable: true } }, done.etag);
    expect(vault().entries.has(handoverSecretName(id))).toBe(true);
    return { id, appId: done.value.provisioning!.steps.application!.appId, failed: failed.value };
  }

  it('cancelled instead of retried: no live password and no vault entry remain', async () => {
    const { id, appId, failed } = await failedAfterVault();
    const cancelled = cancel(failed, requester, new Date());
    if (!cancelled.ok) throw new Error('could not cancel');
    await stack.requests.update(cancelled.request, (await stack.requests.get(id))!.etag);
    expect(ours(appId, id)).toHaveLength(1);

    expect(await withdrawAt(systemClock).sweep()).toBe(1);
    expect(ours(appId, id)).toEqual([]);
    expect(vault().entries.has(handoverSecretName(id))).toBe(false);
    expect(await withdrawAt(systemClock).sweep()).toBe(0);
  }, 60_000);

  it('left failed past the secret\'s handover time: withdrawn, and a later Retry issues a fresh secret', async () => {
    const { id, appId } = await failedAfterVault();
    expect(await withdrawAt(systemClock).sweep()).toBe(0);
    expect(ours(appId, id)).toHaveLength(1);

    expect(await withdrawAt(new ManualClock(new Date(Date.now() + 8 * 86_400_000))).sweep()).toBe(1);
    expect(ours(appId, id)).toEqual([]);
    expect(vault().entries.has(handoverSecretName(id))).toBe(false);

    const current = (await stack.requests.get(id))!;
    const retried = retryProvisioning(current.value, requester, new Date());
    if (!retried.ok) throw new Error('could not retry');
    await stack.requests.update(retried.request, current.etag);
    expect((await stack.provision.execute({ requestId: id })).kind).toBe('provisioned');
    const live = ours(appId, id);
    expect(live).toHaveLength(1);
    expect(vault().entries.get(handoverSecretName(id))?.tags.keyId).toBe((live[0] as { keyId?: string }).keyId);
  }, 60_000);
});
