import {
  describeCreated, handoverSecretName, lacksRoleMessage, missingRoles, passwordDisplayName, PlanProblem,
  patchAfterCreate, progressOf, readProvisioningPlan, rolesNeeded, stepsFor, type OnboardRole, type ProvisioningPlan,
} from '../../domain/provisioning';
import {
  failProvisioning, finishProvisioning, recordProvisioningStep, type ProvisioningRecord, type ProvisioningResults, type ProvisioningStep,
} from '../../domain/request';
import { parseStoredPlan } from '../../domain/storedPlan';
import { compareWithPlan, desiredGrants, type Resources } from '../provisioningGrants';
import { LeaseLostError, type LeasedRequest } from '../provisioningLease';
import { silentProgress, type ProvisioningProgress } from '../provisioningPorts';
import { storeHandoverSecret } from '../secrets/storeHandoverSecret';
import type { ProvisionOutcome, ProvisionRegistrationDeps } from '../provisionRegistration';
import { describeRefusal } from './preWriteGuard';
import { readForeignState } from './preGrantCheck';
import { persistCall, ReadBackMismatch, SagaFailure, settle, sleepFor } from './sagaErrors';

/**
 * One run of the saga under its lease. Before the first write it re-checks the stored request on its own
 * (PreWriteGuard); before the first grant it re-checks again, and reads back that nobody else owns or holds a
 * credential on the application (preGrantCheck.ts). Either stops the saga with no grant made.
 */
export class SagaRun {
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
    const { directory } = this.deps;
    // The guard is asked while the plan is read and the token fetched; nothing is written before it answers.
    const guarded = this.recheck('start');
    guarded.catch(() => undefined);
    let held: string[];
    try {
      this.readPlan();
      held = await this.persist('Application.Read.All', () => directory.ownRoles());
    } catch (error) {
      await guarded;
      throw error;
    }
    await guarded;
    const lacking = missingRoles(rolesNeeded(this.plan), held);
    if (lacking.length) throw new SagaFailure(lacksRoleMessage(lacking), true);

    const tenant = directory.organization().catch(() => undefined);
    const resources = this.resolveResources();
    resources.catch(() => undefined);
    if (!this.leased.record.steps.application) await this.application();
    await settle([this.exposeApi(), this.servicePrincipal(), this.owners(), this.password()]);
    // Both reads at once: the request re-checked (approvers still in the group), and nobody else holding the app.
    if (this.steps.includes('grants') && !this.leased.record.steps.grants) await settle([this.recheck('grants'), this.checkNobodyElseHolds()]);
    await this.grants(resources);
    await this.verify(await resources, tenant);
  }

  private readPlan(): void {
    // The guard refuses an unreadable plan; a drift fix is never this saga's (the dispatcher routes it).
    const work = this.request.work ?? parseStoredPlan(this.request);
    if (work.kind !== 'registration' && work.kind !== 'rotation') throw new SagaFailure(`This request's plan is ${work.kind === 'drift-fix' ? 'a drift fix' : 'unreadable'}, not a registration; the registration saga does not run it.`, false);
    try {
      this.plan = readProvisioningPlan(work.body, this.request.title);
    } catch (error) {
      if (error instanceof PlanProblem) throw new SagaFailure(error.message, false);
      throw error;
    }
    this.steps = stepsFor(this.plan, { owners: this.deps.settings.requesterAsOwner });
  }

  /** The pre-write guard: the stored request re-derived from scratch; any problem stops the saga, not retryable. */
  private async recheck(when: 'start' | 'grants'): Promise<void> {
    // Its membership reading goes through Graph: throttling and outages are ridden out like any other call.
    const problems = await this.persist('GroupMember.Read.All', () => this.deps.guard.check(this.request));
    if (!problems.length) return;
    throw new SagaFailure(`${when === 'grants' ? 'Before granting: ' : ''}${describeRefusal(problems)}`, false, true);
  }

  /**
   * Upsert under the recorded uniqueName. Before Onboard first asks, no application can be its own under that
   * name, so `created: false` on the first call means someone made it first: refused, nothing granted to it.
   * (A repeated call, after a lost answer or a crash, may find its own; the pre-grant read-back covers that.)
   */
  private async application(): Promise<void> {
    const { directory, clock } = this.deps;
    const key = this.leased.record.key;
    let first = !this.leased.record.applicationRequestedAt;
    if (first) await this.leased.change((r) => ({ ...r, applicationRequestedAt: clock.now().toISOString() }));
    const app = await this.persist('Application.ReadWrite.OwnedBy', async () => {
      const firstCall = first;
      first = false;
      const result = await directory.upsertApplication(key, this.plan.createBody);
      if (!result.created && firstCall) {
        throw new SagaFailure(`An application with this request's uniqueName (${key}, object ${result.id}) already existed before Onboard first asked for it: someone else made it, so Onboard will not use it and granted it nothing. Ask an administrator to look at that application.`, false, true);
      }
      return result;
    });
    await this.record('application', { id: app.id, appId: app.appId });
  }

  /** Read back after owners and the secret, before any grant: nobody but Onboard (and the requester) may hold the app. */
  private async checkNobodyElseHolds(): Promise<void> {
    const onboard = await this.persist('Application.Read.All', () => this.deps.directory.ownServicePrincipalId());
    const input = { plan: this.plan, request: this.request, record: this.leased.record, onboard, requesterAsOwner: this.deps.settings.requesterAsOwner };
    const problems = await this.persist('Application.Read.All', () => readForeignState(this.deps.directory, input, () => new ReadBackMismatch('an extra client secret of ours was removed; reading again')));
    if (!problems.length) return;
    throw new SagaFailure(`Onboard stopped before granting any permission: ${problems.join('; ')}. Someone else can use this application, so it must not receive the approved permissions. Ask an administrator to look at it.`, false, true);
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

  private persist<T>(role: OnboardRole | (() => OnboardRole), work: () => Promise<T>): Promise<T> {
    return persistCall({ ...this.deps, leased: this.leased, deadline: this.deadline }, role, work);
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
    const message = `${failure.message} ${describeCreated(this.leased.record, { retry: failure.retryable })}`;
    try {
      const failed = await this.leased.transition((r) => failProvisioning(r, this.deps.settings.owner, { message, retryable: failure.retryable }, this.deps.clock.now()));
      // A refusal is the guard doing its job: audited as refused, with the reason; the approvers hear it below.
      await this.audit(failure.refused ? 'provisioning.refused' : 'provisioning.failed', failure.refused ? 'refused' : 'failed', message.slice(0, 2_000));
      this.notify(() => this.progress.failed(failed));
      return { kind: 'failed', request: failed };
    } catch (lost) {
      if (lost instanceof LeaseLostError) return { kind: 'lease-lost' };
      throw lost;
    }
  }

  private audit(action: string, outcome: 'ok' | 'failed' | 'refused', detail?: string): Promise<void> {
    return this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: this.request.id, planHash: this.request.planHash, correlationId: this.correlationId, detail });
  }
}

