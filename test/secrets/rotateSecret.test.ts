import type { LocalCloud } from '../../src/localcloud';
import { KeyVaultSecretVault } from '../../src/adapters/keyvault/keyVaultSecretVault';
import { RotateSecret } from '../../src/app/secrets/rotateSecret';
import type { Directory } from '../../src/app/directoryPort';
import { systemClock } from '../../src/app/ports';
import { LeaseLostError } from '../../src/app/provisioningLease';
import { ManualClock } from '../support/fakes';
import { approve, submitRequest } from '../../src/domain/request';
import { credentialFor, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack, requester, testApprovalSigner } from '../support/provisioningStack';
import { approvalPayload } from '../../src/domain/planGuard';

/** RotateSecret on its own, over the production Graph, Key Vault and Table adapters against the local cloud. */
describe('RotateSecret: one password on the recorded application, repeatable', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let stack: ReturnType<typeof provisioningStack>;
  let vault: KeyVaultSecretVault;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    vault = new KeyVaultSecretVault(cloud.vaultUrl, credentialFor(cloud), { disableChallengeResourceVerification: true });
    stack = provisioningStack(endpointsOf(cloud, testTables()), { vault });
  });
  afterAll(async () => stop());

  /** A provisioned Miradore app, and an approved rotation of it stored as RequestRotation and DecideApproval leave it. */
  async function approvedRotation() {
    const originId = newRequestId();
    await approvedRequest(stack.requests, originId, miradorePlan(originId));
    const origin = await stack.provision.execute({ requestId: originId });
    if (origin.kind !== 'provisioned') throw new Error(origin.kind);
    const app = origin.request.provisioning!.steps.application!;
    const id = newRequestId();
    const pending = submitRequest({ id, requester, title: 'Miradore: new client secret', text: 'rotate secret for Miradore', plan: origin.request.plan, planHash: origin.request.planHash, risk: 'medium', requiredApprovals: 1, expiresAfterMs: 86_400_000 }, new Date());
    const approved = approve({ ...pending, rotation: { ofRequestId: originId, appId: app.appId, oldKeyIds: [], recipient: requester } }, { id: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' }, new Date());
    if (!approved.ok) throw new Error('not approved');
    await stack.requests.create({ ...approved.request, approvalMac: await testApprovalSigner.sign(approvalPayload(approved.request)) });
    return { id, app, servicePrincipalId: origin.request.provisioning!.steps.servicePrincipal!.id };
  }
  /** The app (without its passwords), its service principal, and every grant to it, as the tenant holds them. */
  const everythingBut = (appId: string, servicePrincipalId: string) => {
    const { passwordCredentials: _passwords, ...application } = cloud.state.applications.find((a) => a.appId === appId)!;
    return JSON.stringify({
      application, servicePrincipal: cloud.state.servicePrincipals.find((sp) => sp.id === servicePrincipalId),
      assignments: cloud.state.appRoleAssignments.filter((a) => a.principalId === servicePrincipalId),
      grants: cloud.state.oauth2PermissionGrants.filter((g) => g.clientId === servicePrincipalId),
    });
  };
  const oursOn = (appId: string, id: string) => (cloud.state.applications.find((a) => a.appId === appId)!.passwordCredentials as { keyId: string; displayName: string }[]).filter((p) => p.displayName === `Onboard handover ${id}`);

  it('a process that dies after addPassword, before recording it, is resumed by another instance with one live secret of ours', async () => {
    const { id, app } = await approvedRotation();
    const clock = new ManualClock(new Date());
    // The first instance's addPassword reaches Graph; then the instance is gone (its lease is simply never renewed).
    const dying: Directory = Object.create(stack.directory, {
      addPassword: { value: async (objectId: string, password: { displayName: string; endDateTime: string }) => {
        await stack.directory.addPassword(objectId, password);
        throw new LeaseLostError({ code: 'lease-lost' });
      } },
    });
    const first = new RotateSecret({ guard: stack.guard, requests: stack.requests, audit: stack.audit, directory: dying, vault, clock, settings: { ...stack.settings, owner: 'instance-a' } });
    expect(await first.execute({ requestId: id })).toEqual({ kind: 'lease-lost' });
    expect(oursOn(app.appId, id)).toHaveLength(1);
    expect((await stack.requests.get(id))!.value.provisioning!.passwordPending).toBeDefined();

    clock.advance(stack.settings.leaseMs + 1_000);
    const second = new RotateSecret({ guard: stack.guard, requests: stack.requests, audit: stack.audit, directory: stack.directory, vault, clock, settings: { ...stack.settings, owner: 'instance-b' } });
    expect((await second.execute({ requestId: id })).kind).toBe('provisioned');
    const done = (await stack.requests.get(id))!.value;
    expect(oursOn(app.appId, id).map((p) => p.keyId)).toEqual([done.provisioning!.steps.password!.keyId]);
  }, 60_000);

  it('an answer to addPassword that is lost is not a second live secret: ours is found by name and replaced', async () => {
    const { id, app, servicePrincipalId } = await approvedRotation();
    const before = everythingBut(app.appId, servicePrincipalId);

    // The first addPassword reaches Graph, but its answer never comes back (a connection reset).
    let lost = false;
    const directory: Directory = Object.create(stack.directory, {
      addPassword: { value: async (objectId: string, password: { displayName: string; endDateTime: string }) => {
        const created = await stack.directory.addPassword(objectId, password);
        if (!lost) {
          lost = true;
          throw new Error('socket hang up');
        }
        return created;
      } },
    });
    const rotate = new RotateSecret({ guard: stack.guard, requests: stack.requests, audit: stack.audit, directory, vault, clock: systemClock, settings: { ...stack.settings }, sleep: async () => undefined });
    const outcome = await rotate.execute({ requestId: id });
    expect(outcome.kind).toBe('provisioned');
    const done = (await stack.requests.get(id))!.value;
    expect(oursOn(app.appId, id).map((p) => p.keyId)).toEqual([done.provisioning!.steps.password!.keyId]);
    expect(await vault.read(done.provisioning!.steps.vault!.name)).toBeTruthy();
    expect(done.provisioning!.steps.application).toMatchObject({ id: app.id, appId: app.appId });
    // A password and nothing else: the application, its service principal, grants and consents are as they were.
    expect(everythingBut(app.appId, servicePrincipalId)).toEqual(before);

    // Run again (a sweeper on another instance): nothing more happens.
    expect(await rotate.execute({ requestId: id })).toEqual({ kind: 'skipped', reason: 'not-provisionable' });
  }, 60_000);
});
