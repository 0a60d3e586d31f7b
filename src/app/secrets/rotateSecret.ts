import { backoffDelayMs, classifyFailure, handoverSecretName, passwordDisplayName, PlanProblem, readProvisioningPlan, type ProvisioningPlan } from '../../domain/provisioning';
import { failProvisioning, finishProvisioning, recordProvisioningStep, takeProvisioningLease, type RegistrationRequest } from '../../domain/request';
import { grantDifferences } from '../../domain/rotation';
import { parseStoredPlan } from '../../domain/storedPlan';
import { DirectoryError, type Directory } from '../directoryPort';
import { isConcurrencyConflict } from '../errors';
import type { Clock } from '../ports';
import { LeasedRequest, LeaseLostError } from '../provisioningLease';
import { silentProgress, type ProvisioningProgress, type ProvisioningSettings } from '../provisioningPorts';
import type { ProvisionOutcome } from '../provisionRegistration';
import type { SecretVault } from '../secretVaultPort';
import type { AuditLog, RequestStore } from '../workflowPorts';
import { storeHandoverSecret, type VaultRetry } from './storeHandoverSecret';
import { describeRefusal, type PreWriteGuard } from '../provisioning/preWriteGuard';

export interface RotateSecretDeps {
  requests: RequestStore;
  audit: AuditLog;
  directory: Pick<Directory, 'addPassword' | 'listPasswords' | 'removePassword' | 'readBack' | 'resourceServicePrincipal'>;
  vault: SecretVault;
  clock: Clock;
  settings: Pick<ProvisioningSettings, 'owner' | 'leaseMs' | 'handoverTtlMs' | 'backoff'>;
  /** `finished` issues the one-time link (composeProvisioning), as after a registration. */
  progress?: ProvisioningProgress;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  vaultRetry?: VaultRetry;
  /** Whole tries of one Graph call through throttling and outages; default 6. */
  graphAttempts?: number;
  /** The same re-checks as the registration saga's, before any write: a rotation row is no less forgeable (docs/security.md). */
  guard: Pick<PreWriteGuard, 'check'>;
}

class RotationFailure extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An approved rotation: one new password on the application the original request's saga created (its ids from
 * that request's provisioning record, never from a name or a tag), stored in the vault, then the one-time link.
 * Nothing else: no patch, no owner, no grant, so what an admin revoked during an incident stays revoked; a grant
 * that differs from the plan is reported and left to Fix drift. Leased, idempotent and resumable as the saga's
 * password step is (a password whose creation was not recorded is found by its name and removed first).
 */
export class RotateSecret {
  constructor(private readonly deps: RotateSecretDeps) {}

  async execute(input: { requestId: string; correlationId?: string }): Promise<ProvisionOutcome> {
    const { requests, clock, settings } = this.deps;
    const current = await requests.get(input.requestId);
    if (!current) return { kind: 'skipped', reason: 'unknown request' };
    const rotation = current.value.rotation;
    if (!rotation) return { kind: 'skipped', reason: 'not a rotation' };
    const taken = takeProvisioningLease(current.value, settings.owner, settings.leaseMs, `rotation-of-${rotation.ofRequestId}`, clock.now());
    if (!taken.ok) return { kind: 'skipped', reason: taken.refusal.code === 'leased' ? `leased by ${taken.refusal.owner}` : taken.refusal.code };
    let leased: LeasedRequest;
    try {
      leased = new LeasedRequest(requests, clock, settings.owner, settings.leaseMs, await requests.update(taken.request, current.etag));
    } catch (error) {
      if (isConcurrencyConflict(error)) return { kind: 'skipped', reason: 'busy' };
      throw error;
    }
    const correlationId = input.correlationId ?? `rotation-${input.requestId}-${leased.record.attempt}`;
    let problems: string[];
    try {
      // Its membership reading goes through Graph: throttling and outages are ridden out like the rotation's own calls.
      problems = await this.graph(leased, () => this.deps.guard.check(leased.value));
    } catch (error) {
      if (error instanceof LeaseLostError) return { kind: 'lease-lost' };
      return this.fail(leased, error, correlationId);
    }
    if (problems.length) {
      const message = `${describeRefusal(problems)} No secret was added.`;
      const failed = await leased.transition((r) => failProvisioning(r, settings.owner, { message, retryable: false }, clock.now()));
      await this.audit(failed, 'rotation.refused', 'refused', correlationId, message);
      await (this.deps.progress ?? silentProgress).failed(failed).catch(() => undefined);
      return { kind: 'failed', request: failed };
    }
    leased.startHeartbeat();
    try {
      await this.rotate(leased, correlationId);
      const done = await leased.transition((r) => finishProvisioning(r, settings.owner, clock.now()));
      await this.audit(done, 'rotation.secret-added', 'ok', correlationId, `password ${done.provisioning?.steps.password?.keyId} on ${rotation.appId}; grants ${done.rotation?.grantsDiffer?.length ? `differ from the plan and were left as they are: ${done.rotation.grantsDiffer.join('; ')}` : 'match the plan'}`);
      await (this.deps.progress ?? silentProgress).finished(done).catch(() => undefined);
      return { kind: 'provisioned', request: done };
    } catch (error) {
      if (error instanceof LeaseLostError) return { kind: 'lease-lost' };
      return this.fail(leased, error, correlationId);
    } finally {
      leased.stopHeartbeat();
    }
  }

  private async rotate(leased: LeasedRequest, correlationId: string): Promise<void> {
    const { app, servicePrincipalId, plan } = await this.application(leased.value);
    if (!leased.record.steps.application) {
      await leased.change((r) => recordProvisioningStep(r, 'application', app, this.deps.clock.now()));
    }
    await this.password(leased, app, plan, correlationId);
    if (leased.value.rotation?.grantsDiffer === undefined) {
      const differ = await this.grantsDiffer(plan, app.id, servicePrincipalId);
      const owner = this.deps.settings.owner;
      await leased.transition((r) => (r.state === 'Provisioning' && r.lease?.owner === owner ? { ok: true, request: { ...r, rotation: { ...r.rotation!, grantsDiffer: differ } } } : { ok: false, refusal: { code: 'lease-lost' } }));
    }
  }

  /** The app as Onboard's own record of its creation names it: both ids must agree with the rotation's. */
  private async application(request: RegistrationRequest): Promise<{ app: { id: string; appId: string }; servicePrincipalId: string; plan: ProvisioningPlan }> {
    const origin = (await this.deps.requests.get(request.rotation!.ofRequestId))?.value;
    const app = origin?.provisioning?.steps.application;
    const sp = origin?.provisioning?.steps.servicePrincipal;
    if (!origin || origin.rotation || !app || !sp || app.appId.toLowerCase() !== request.rotation!.appId.toLowerCase()) {
      throw new RotationFailure(`Onboard's records do not show that request ${request.rotation!.ofRequestId} created the app ${request.rotation!.appId}, so no secret was added.`, false);
    }
    // The original plan as the store parsed it (domain/storedPlan.ts): a plan that is no registration's is refused.
    const work = origin.work ?? parseStoredPlan(origin);
    if (work.kind !== 'registration') throw new RotationFailure(`The plan of ${origin.id} is not a registration Onboard can read, so no secret was added.`, false);
    try {
      return { app: { id: app.id, appId: app.appId }, servicePrincipalId: sp.id, plan: readProvisioningPlan(work.body, origin.title) };
    } catch (error) {
      if (error instanceof PlanProblem) throw new RotationFailure(error.message, false);
      throw error;
    }
  }

  /** The saga's password step, on the recorded application: see ProvisionRegistration.password() for the why. */
  private async password(leased: LeasedRequest, app: { id: string; appId: string }, plan: ProvisioningPlan, correlationId: string): Promise<void> {
    const { directory, clock, settings } = this.deps;
    const record = leased.record;
    if ((record.steps.password && record.steps.vault) || record.secretNotDelivered) return;
    const requestId = leased.value.id;
    const displayName = passwordDisplayName(requestId);
    let unknownOutcome = !!record.passwordPending || !!record.steps.password;
    await leased.change((r) => ({ ...r, passwordPending: { displayName, at: clock.now().toISOString() }, steps: { ...r.steps, password: undefined, vault: undefined } }));
    const lifetimeDays = Math.max(1, plan.secret.lifetimeDays);
    const endDateTime = new Date(clock.now().getTime() + lifetimeDays * 86_400_000).toISOString();
    const created = await this.graph(leased, async () => {
      if (unknownOutcome) {
        for (const p of await directory.listPasswords(app.id)) if (p.displayName === displayName) await directory.removePassword(app.id, p.keyId);
      }
      unknownOutcome = true;
      return directory.addPassword(app.id, { displayName, endDateTime });
    });
    const name = handoverSecretName(requestId);
    const expiresOn = new Date(Math.min(Date.parse(created.endDateTime), clock.now().getTime() + settings.handoverTtlMs));
    const { sleep = sleepFor, random = Math.random, vaultRetry } = this.deps;
    const refused = await storeHandoverSecret(this.deps.vault, name, created.secretText, {
      contentType: 'text/plain', expiresOn, tags: { requestId, appId: app.appId, keyId: created.keyId },
    }, { ...vaultRetry, sleep, random, beforeAttempt: () => leased.check() });
    if (refused) {
      // A live secret nobody holds is worse than none: the new one goes, the old ones still work.
      await this.graph(leased, () => directory.removePassword(app.id, created.keyId));
      const at = clock.now().toISOString();
      await leased.change((r) => ({ ...r, passwordPending: undefined, secretNotDelivered: { at, reason: refused }, steps: { ...r.steps, password: undefined, vault: undefined } }));
      await this.audit(leased.value, 'secret.not-delivered', 'failed', correlationId, `${refused}. Its password ${created.keyId} was removed from the app; the old secret still works.`);
      return;
    }
    const now = clock.now();
    await leased.change((r) => recordProvisioningStep(recordProvisioningStep({ ...r, passwordPending: undefined }, 'password', { keyId: created.keyId, displayName, endDateTime: created.endDateTime, hint: created.hint }, now), 'vault', { name, expiresAt: expiresOn.toISOString() }, now));
  }

  /** Read only: what the app holds now against its plan. A read that fails is reported as unknown, never retried into a write. */
  private async grantsDiffer(plan: ProvisioningPlan, appObjectId: string, servicePrincipalId: string): Promise<string[]> {
    try {
      const read = await this.deps.directory.readBack({ appObjectId, servicePrincipalId });
      const appIds = [...new Set(plan.permissions.filter((p) => p.resourceAppId !== 'self').map((p) => p.resourceAppId))];
      const resources = new Map((await Promise.all(appIds.map(async (id) => [id, (await this.deps.directory.resourceServicePrincipal(id))?.id] as const))));
      return grantDifferences(plan.permissions, { servicePrincipalId, appRoleAssignments: read.appRoleAssignments, delegatedGrants: read.delegatedGrants }, (id) => resources.get(id));
    } catch (error) {
      return [`its grants could not be read (${(error as Error).message.slice(0, 80)})`];
    }
  }

  /** One Graph call, through throttling and outages with jittered backoff; a refusal ends the rotation in words. */
  private async graph<T>(leased: LeasedRequest, work: () => Promise<T>): Promise<T> {
    const { sleep = sleepFor, random = Math.random, settings } = this.deps;
    const attempts = this.deps.graphAttempts ?? 6;
    for (let attempt = 0; ; attempt++) {
      leased.check();
      try {
        return await work();
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        const kind = error instanceof DirectoryError ? classifyFailure(error) : 'transient';
        if (kind === 'forbidden' || kind === 'fatal' || attempt + 1 >= attempts) {
          throw new RotationFailure(`Microsoft Graph refused the new client secret: ${(error as Error).message}`, kind !== 'fatal');
        }
        await sleep(backoffDelayMs(attempt, random(), settings.backoff));
      }
    }
  }

  private async fail(leased: LeasedRequest, error: unknown, correlationId: string): Promise<ProvisionOutcome> {
    const failure = error instanceof RotationFailure ? error : new RotationFailure(`The rotation stopped unexpectedly: ${(error as Error)?.message ?? String(error)}`, true);
    try {
      const failed = await leased.transition((r) => failProvisioning(r, this.deps.settings.owner, { message: failure.message, retryable: failure.retryable }, this.deps.clock.now()));
      await this.audit(failed, 'rotation.failed', 'failed', correlationId, failure.message);
      await (this.deps.progress ?? silentProgress).failed(failed).catch(() => undefined);
      return { kind: 'failed', request: failed };
    } catch (lost) {
      if (lost instanceof LeaseLostError) return { kind: 'lease-lost' };
      throw lost;
    }
  }

  private audit(request: RegistrationRequest, action: string, outcome: 'ok' | 'failed' | 'refused', correlationId: string, detail: string): Promise<void> {
    return this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: request.id, planHash: request.planHash, correlationId, detail: detail.slice(0, 300) });
  }
}
