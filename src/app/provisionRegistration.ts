import {
  backoffDelayMs, classifyFailure, describeCreated, handoverSecretName, lacksRoleMessage, missingRoles, passwordDisplayName, PlanProblem,
  patchAfterCreate, progressOf, provisioningKey, readProvisioningPlan, rolesNeeded, stepsFor, type OnboardRole, type ProvisioningPlan,
} from '../domain/provisioning';
import {
  failProvisioning, finishProvisioning, recordProvisioningStep, takeProvisioningLease, type ProvisioningRecord, type ProvisioningResults, type ProvisioningStep,
  type RegistrationRequest,
} from '../domain/request';
import { DirectoryError, type Directory } from './directoryPort';
import { isConcurrencyConflict } from './errors';
import type { Clock } from './ports';
import { compareWithPlan, desiredGrants, type Resources } from './provisioningGrants';
import { LeasedRequest, LeaseLostError } from './provisioningLease';
import { silentProgress, type ProvisioningProgress, type ProvisioningSettings } from './provisioningPorts';
import type { SecretVault } from './secretVaultPort';
import { storeHandoverSecret, type VaultRetry } from './secrets/storeHandoverSecret';
import type { AuditLog, RequestStore } from './workflowPorts';

export interface ProvisionRegistrationDeps {
  requests: RequestStore;
  audit: AuditLog;
  directory: Directory;
  vault: SecretVault;
  clock: Clock;
  settings: ProvisioningSettings;
  progress?: ProvisioningProgress;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Whole attempts at storing the secret in the vault, and their backoff (defaults: 4, from 500 ms). */
  vaultRetry?: VaultRetry;
}

export type ProvisionOutcome =
  | { kind: 'provisioned' | 'failed'; request: RegistrationRequest }
  | { kind: 'skipped'; reason: string }
  | { kind: 'lease-lost' };

/** A failure that ends this attempt: the request becomes Failed with this text for the approvers. */
class SagaFailure extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/** The read-back did not match the plan yet; on Graph that is usually replication, so it is waited out. */
class ReadBackMismatch extends Error {}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Makes an approved plan real in Entra ID: application (upsert by uniqueName) → patch ∥ service principal ∥
 * owner ∥ password (→ vault) → grants in $batch → read-back verified against the plan. Each step's result is
 * persisted with compare-and-set under a lease, so a restarted run, on any instance, skips what is done.
 */
export class ProvisionRegistration {
  constructor(private readonly deps: ProvisionRegistrationDeps) {}

  async execute(input: { requestId: string; correlationId?: string }): Promise<ProvisionOutcome> {
    const taken = await this.acquire(input.requestId);
    if ('kind' in taken) return taken;
    const { leased, resumed } = taken;
    const correlationId = input.correlationId ?? `provision-${input.requestId}-${leased.record.attempt}`;
    await this.audit(leased.value, resumed ? 'provisioning.resumed' : 'provisioning.started', 'ok', correlationId);
    return new SagaRun(this.deps, leased, correlationId).run();
  }

  private async acquire(requestId: string): Promise<{ leased: LeasedRequest; resumed: boolean } | ProvisionOutcome> {
    const { requests, settings, clock } = this.deps;
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await requests.get(requestId);
      if (!current) return { kind: 'skipped', reason: 'unknown request' };
      // A rotation adds a password and nothing else (RotateSecret): re-running the saga would re-grant what an admin revoked.
      if (current.value.rotation) return { kind: 'skipped', reason: 'a rotation, not a registration' };
      const key = provisioningKey(requestId);
      const taken = takeProvisioningLease(current.value, settings.owner, settings.leaseMs, key, clock.now());
      if (!taken.ok) return { kind: 'skipped', reason: taken.refusal.code === 'leased' ? `leased by ${taken.refusal.owner}` : taken.refusal.code };
      try {
        const saved = await requests.update(taken.request, current.etag);
        return { leased: new LeasedRequest(requests, clock, settings.owner, settings.leaseMs, saved), resumed: current.value.state === 'Provisioning' };
      } catch (error) {
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
    return { kind: 'skipped', reason: 'busy' };
  }

  private audit(request: RegistrationRequest, action: string, outcome: 'ok' | 'failed', correlationId: string, detail?: string): Promise<void> {
    return this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: request.id, planHash: request.planHash, correlationId, detail });
  }
}

class SagaRun {
  private readonly progress: ProvisioningProgress;
  private readonly notices: Promise<unknown>[] = [];
  private readonly deadline: number;
  private plan!: ProvisioningPlan;
  private steps: ProvisioningStep[] = [];

  constructor(private readonly deps: ProvisionRegistrationDeps, private readonly leased: LeasedRequest, private readonly correlationId: string) {
    this.progress = deps.progress ?? silentProgress;
    this.deadline = Date.now() + deps.settings.lagBudgetMs;
  }

  private get request() {
    return this.leased.value;
  }

  async run(): Promise<ProvisionOutcome> {
    this.leased.startHeartbeat();
    try {
      await this.provision();
      const done = await this.leased.transition((r) => finishProvisioning(r, this.deps.settings.owner, this.deps.clock.now()));
      await this.audit('provisioned', 'ok');
      this.notify(() => this.progress.finished(done));
      return { kind: 'provisioned', request: done };
    } catch (error) {
      if (error instanceof LeaseLostError) return { kind: 'lease-lost' };
      return await this.fail(error);
    } finally {
      this.leased.stopHeartbeat();
      await Promise.allSettled(this.notices);
    }
  }

  private async provision(): Promise<void> {
    const { directory, settings } = this.deps;
    try {
      this.plan = readProvisioningPlan(this.request.plan, this.request.title);
    } catch (error) {
      if (error instanceof PlanProblem) throw new SagaFailure(error.message, false);
      throw error;
    }
    this.steps = stepsFor(this.plan, { owners: settings.requesterAsOwner });
    const held = await this.persist('Application.Read.All', () => directory.ownRoles());
    const lacking = missingRoles(rolesNeeded(this.plan), held);
    if (lacking.length) throw new SagaFailure(lacksRoleMessage(lacking), true);

    const tenant = directory.organization().catch(() => undefined);
    const resources = this.resolveResources();
    resources.catch(() => undefined);
    if (!this.leased.record.steps.application) {
      const app = await this.persist('Application.ReadWrite.OwnedBy', () => directory.upsertApplication(this.leased.record.key, this.plan.createBody));
      await this.record('application', { id: app.id, appId: app.appId });
    }
    await settle([this.exposeApi(), this.servicePrincipal().then(() => this.grants(resources)), this.owners(), this.password()]);
    await this.verify(await resources, tenant);
  }

  private app() {
    return this.leased.record.steps.application!;
  }

  private async exposeApi(): Promise<void> {
    const patch = patchAfterCreate(this.plan, this.app().appId);
    if (!patch || this.leased.record.steps.exposeApi) return;
    await this.persist('Application.ReadWrite.OwnedBy', () => this.deps.directory.patchApplication(this.app().id, patch));
    await this.record('exposeApi', { identifierUris: (patch.identifierUris as string[] | undefined) ?? [] });
  }

  private async servicePrincipal(): Promise<void> {
    if (this.leased.record.steps.servicePrincipal) return;
    const sp = await this.persist('Application.ReadWrite.OwnedBy', () => this.deps.directory.ensureServicePrincipal(this.app().appId));
    await this.record('servicePrincipal', { id: sp.id });
  }

  private async owners(): Promise<void> {
    if (!this.steps.includes('owners') || this.leased.record.steps.owners) return;
    const owner = this.request.requester.id;
    await this.persist('Application.ReadWrite.OwnedBy', () => this.deps.directory.addOwner(this.app().id, owner));
    await this.record('owners', { ownerIds: [owner] });
  }

  /**
   * A secret's value exists only in Graph's one answer to addPassword, so it goes to the vault at once, and
   * only there: the one-time link is issued for that entry once the saga is done. If a run died between asking
   * and recording, or before the vault had it, ours are removed by name first. If the vault will not take it,
   * the password is removed again: a live secret that nobody holds is worse than none (docs/secrets.md).
   */
  private async password(): Promise<void> {
    const { directory, settings, clock } = this.deps;
    const record = this.leased.record;
    if (!this.plan.secret.issue || (record.steps.password && record.steps.vault) || record.secretNotDelivered) return;
    const appId = this.app().id;
    const displayName = passwordDisplayName(this.request.id);
    let unknownOutcome = !!record.passwordPending || !!record.steps.password;
    await this.leased.change((r) => ({ ...r, passwordPending: { displayName, at: clock.now().toISOString() }, steps: { ...r.steps, password: undefined, vault: undefined } }));
    const endDateTime = new Date(clock.now().getTime() + this.plan.secret.lifetimeDays * 86_400_000).toISOString();
    const created = await this.persist('Application.ReadWrite.OwnedBy', async () => {
      if (unknownOutcome) {
        for (const p of await directory.listPasswords(appId)) if (p.displayName === displayName) await directory.removePassword(appId, p.keyId);
      }
      unknownOutcome = true;
      return directory.addPassword(appId, { displayName, endDateTime });
    });
    const name = handoverSecretName(this.request.id);
    // The link issued for this entry expires with it, so neither outlives the other.
    const expiresOn = new Date(Math.min(Date.parse(created.endDateTime), clock.now().getTime() + settings.handoverTtlMs));
    const { sleep = sleepFor, random = Math.random, vaultRetry } = this.deps;
    const refused = await storeHandoverSecret(this.deps.vault, name, created.secretText, {
      contentType: 'text/plain', expiresOn, tags: { requestId: this.request.id, appId: this.app().appId, keyId: created.keyId },
    }, { ...vaultRetry, sleep, random, beforeAttempt: () => this.leased.check() });
    if (refused) return this.withdrawPassword(created.keyId, refused);
    const now = clock.now();
    await this.leased.change(
      (r) => recordProvisioningStep(recordProvisioningStep({ ...r, passwordPending: undefined }, 'password', { keyId: created.keyId, displayName, endDateTime: created.endDateTime, hint: created.hint }, now), 'vault', { name, expiresAt: expiresOn.toISOString() }, now),
      (r) => progressOf(this.steps, r, 'vault'),
    );
    this.notifyStep();
  }

  private async withdrawPassword(keyId: string, reason: string): Promise<void> {
    const appId = this.app().id;
    await this.persist('Application.ReadWrite.OwnedBy', () => this.deps.directory.removePassword(appId, keyId));
    const at = this.deps.clock.now().toISOString();
    await this.leased.change((r) => ({ ...r, passwordPending: undefined, secretNotDelivered: { at, reason }, steps: { ...r.steps, password: undefined, vault: undefined } }));
    await this.audit('secret.not-delivered', 'failed', `${reason}. Its password ${keyId} was removed from the app, so no live secret exists that nobody holds; Rotate issues a new one.`);
  }

  private async grants(resourcesReady: Promise<Resources>): Promise<void> {
    if (!this.steps.includes('grants') || this.leased.record.steps.grants) return;
    const { grants, problems } = desiredGrants(this.plan, this.leased.record.steps.servicePrincipal!.id, await resourcesReady);
    if (problems.length) throw new SagaFailure(problems.join(' '), false);
    let pending = grants;
    let role: OnboardRole = 'AppRoleAssignment.ReadWrite.All';
    const ids = { appRoleAssignmentIds: [] as string[], delegatedGrantIds: [] as string[] };
    await this.persist(() => role, async () => {
      const outcomes = await this.deps.directory.grant(pending);
      for (const o of outcomes) if (o.outcome !== 'failed' && o.id) (o.grant.kind === 'appRole' ? ids.appRoleAssignmentIds : ids.delegatedGrantIds).push(o.id);
      const failed = outcomes.filter((o) => o.outcome === 'failed');
      pending = failed.map((o) => o.grant);
      const first = failed[0];
      if (first?.outcome === 'failed') {
        role = first.grant.kind === 'appRole' ? 'AppRoleAssignment.ReadWrite.All' : 'DelegatedPermissionGrant.ReadWrite.All';
        throw first.error;
      }
    });
    await this.record('grants', ids);
  }

  private async verify(resources: Resources, tenant: Promise<{ id: string; displayName: string } | undefined>): Promise<void> {
    const { directory } = this.deps;
    if (this.leased.record.steps.verify) return;
    const app = this.app();
    const displayName = passwordDisplayName(this.request.id);
    const result = await this.persist('Application.Read.All', async () => {
      const steps = this.leased.record.steps;
      const read = await directory.readBack({ appObjectId: app.id, servicePrincipalId: steps.servicePrincipal!.id, owners: !!steps.owners });
      // An extra secret of ours (a retried request whose first answer was lost) is removed: only the vaulted one stays live.
      for (const p of read.application.passwordCredentials) {
        if (p.displayName === displayName && p.keyId !== steps.password?.keyId) {
          await directory.removePassword(app.id, p.keyId);
          throw new ReadBackMismatch('an extra client secret was removed; reading again');
        }
      }
      // A withdrawn secret (vault outage) must have left none of ours behind.
      const plan = this.leased.record.secretNotDelivered ? { ...this.plan, secret: { ...this.plan.secret, issue: false } } : this.plan;
      const compared = compareWithPlan(plan, { app, servicePrincipalId: steps.servicePrincipal!.id, passwordDisplayName: displayName, passwordKeyId: steps.password?.keyId, ownerIds: steps.owners?.ownerIds }, resources, read);
      if (compared.problems.length) throw new ReadBackMismatch(`The registration does not match the approved plan: ${compared.problems.join('; ')}.`);
      return compared;
    });
    const org = await tenant;
    await this.record('verify', { permissions: result.permissions }, (r) => (org ? { ...r, tenant: org } : r));
  }

  private async resolveResources(): Promise<Resources> {
    const appIds = [...new Set(this.plan.permissions.filter((p) => p.resourceAppId !== 'self').map((p) => p.resourceAppId))];
    const found = await Promise.all(appIds.map((appId) => this.persist('Application.Read.All', () => this.deps.directory.resourceServicePrincipal(appId))));
    return new Map(found.flatMap((sp, i) => (sp ? [[appIds[i], sp] as const] : [])));
  }

  /**
   * Runs one Graph call until it succeeds, waiting out replication lag and throttling with bounded,
   * jittered backoff; an error that cannot succeed ends the attempt at once, in plain words.
   */
  private async persist<T>(role: OnboardRole | (() => OnboardRole), work: () => Promise<T>): Promise<T> {
    const { sleep = sleepFor, random = Math.random, settings } = this.deps;
    for (let attempt = 0; ; attempt++) {
      this.leased.check();
      try {
        return await work();
      } catch (error) {
        const kind = error instanceof ReadBackMismatch ? 'lag' : error instanceof DirectoryError ? classifyFailure(error) : 'transient';
        if (kind === 'forbidden') throw new SagaFailure(lacksRoleMessage([typeof role === 'function' ? role() : role]), true);
        if (kind === 'fatal') throw new SagaFailure(error instanceof DirectoryError && error.source === 'auth' ? error.message : `Microsoft Graph refused: ${(error as Error).message}`, error instanceof DirectoryError && error.source === 'auth');
        const delay = backoffDelayMs(attempt, random(), settings.backoff);
        if (Date.now() + delay > this.deadline) {
          const waited = Math.round(settings.lagBudgetMs / 1000);
          throw new SagaFailure(`Microsoft Graph still answered "${(error as Error).message}" after ${waited} s of retries.`, true);
        }
        await sleep(delay);
      }
    }
  }

  private async record<S extends ProvisioningStep>(step: S, result: ProvisioningResults[S], also: (r: ProvisioningRecord) => ProvisioningRecord = (r) => r): Promise<void> {
    await this.leased.change((r) => recordProvisioningStep(also(r), step, result, this.deps.clock.now()), (r) => progressOf(this.steps, r, step));
    this.notifyStep();
  }

  private notifyStep(): void {
    const request = this.request;
    if (request.progress) this.notify(() => this.progress.stepDone(request, request.progress!));
  }

  private notify(work: () => Promise<void>): void {
    this.notices.push(work().catch(() => undefined));
  }

  private async fail(error: unknown): Promise<ProvisionOutcome> {
    const failure = error instanceof SagaFailure ? error : new SagaFailure(`Provisioning stopped unexpectedly: ${(error as Error)?.message ?? String(error)}`, true);
    const message = `${failure.message} ${describeCreated(this.leased.record)}`;
    try {
      const failed = await this.leased.transition((r) => failProvisioning(r, this.deps.settings.owner, { message, retryable: failure.retryable }, this.deps.clock.now()));
      await this.audit('provisioning.failed', 'failed', message);
      this.notify(() => this.progress.failed(failed));
      return { kind: 'failed', request: failed };
    } catch (lost) {
      if (lost instanceof LeaseLostError) return { kind: 'lease-lost' };
      throw lost;
    }
  }

  private audit(action: string, outcome: 'ok' | 'failed', detail?: string): Promise<void> {
    return this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: this.request.id, planHash: this.request.planHash, correlationId: this.correlationId, detail });
  }
}

/** Waits for every branch, then throws the most telling failure: no branch is left running after the saga stops. */
async function settle(branches: Promise<unknown>[]): Promise<void> {
  const reasons = (await Promise.allSettled(branches)).flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (reasons.length) throw reasons.find((e) => e instanceof LeaseLostError) ?? reasons.find((e) => e instanceof SagaFailure) ?? reasons[0];
}
