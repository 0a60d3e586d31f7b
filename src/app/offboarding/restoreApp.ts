import { restorePayload } from '../../domain/offboardRecord';
import { isRestorable, RESTORABLE_DAYS } from '../../domain/offboardSteps';
import type { RegistrationRequest } from '../../domain/request';
import { resolveActor, type Groups } from '../approvals/actors';
import type { ApprovalSigner } from '../approvals/approvalSigner';
import { ConcurrencyConflictError } from '../errors';
import type { Clock } from '../ports';
import type { AuditLog, Membership, RequestStore } from '../workflowPorts';
import type { AppRestorer, RestoreInput, RestoreResult } from './offboardPorts';

export interface RestoreAppDeps {
  requests: RequestStore;
  audit: AuditLog;
  membership: Membership;
  groups: Groups;
  /** The approval key: a restore order carries its MAC, so a row written to the table cannot order one. */
  signer?: ApprovalSigner;
  clock: Clock;
  /** Tells the worker there is work. */
  wakeWorker: () => Promise<unknown>;
}

/**
 * "restore Miradore", approvers only: records a signed restore order on the offboard request, and the worker (which
 * re-checks the order's signature and that its author is still an approver) carries it out. Within the grace period it
 * turns sign-in back on, and step 2 never runs; after removal, within Entra's 30 days, it brings the app back from
 * deleted items and asks the approvers again for the approved plan's permissions. The offboard request is found by the app's name or Application ID among
 * Onboard's own offboard requests, so an app already removed from the directory is found too.
 */
export class RestoreApp implements AppRestorer {
  constructor(private readonly deps: RestoreAppDeps) {}

  async execute(input: RestoreInput): Promise<RestoreResult> {
    const now = this.deps.clock.now();
    const refuse = async (message: string, detail: string, requestId?: string): Promise<RestoreResult> => {
      await this.deps.audit.append({ at: now.toISOString(), action: 'offboard.restore', outcome: 'refused', actor: input.actor, requestId, correlationId: input.correlationId, detail: `${input.target}: ${detail}`.slice(0, 200) });
      return { kind: 'refused', message };
    };
    const actor = await resolveActor(input.actor, this.deps.membership, this.deps.groups);
    if (!actor.isApprover) return refuse('Only members of the Onboard Approvers group can restore an offboarded app. Ask an approver.', 'not an approver');
    const found = await this.offboardingsOf(input.target);
    const apps = new Map(found.map((r) => [r.work!.kind === 'offboard' ? r.work!.body.target.appId : '', r]));
    if (apps.size > 1) return { kind: 'ambiguous', candidates: [...apps.values()].map((r) => ({ appId: (r.work!.body as { target: { appId: string } }).target.appId, displayName: (r.work!.body as { displayName: string }).displayName })) };
    const request = found[0];
    if (!request) return refuse(`I find no offboarding of ${input.target} to undo. Type **status** to see your requests, or the app's exact name or Application ID.`, 'no offboarding');
    const name = request.title.replace(/^Offboard: /, '');
    if (request.state === 'Offboarded' && !isRestorable(request, now)) return refuse(`${name} was removed more than ${RESTORABLE_DAYS} days ago (${request.id}), and Entra has deleted it for good. Ask for it again with **onboard**.`, 'past 30 days', request.id);
    if (request.state !== 'Disabled' && request.state !== 'Offboarded') return refuse(`${request.id} is ${request.state === 'PendingApproval' ? 'still waiting for approval: reject it instead' : 'being carried out right now: try again in a minute'}.`, `state ${request.state}`, request.id);
    const kind = request.state === 'Offboarded' ? 'restoring' : 're-enabling';
    if (request.offboarding?.restore) return { kind, request };
    if (!this.deps.signer) return refuse('Onboard cannot sign a restore order here (no Key Vault is configured). Ask an Entra admin to turn sign-in back on.', 'no signer', request.id);
    const order = { by: input.actor, at: now.toISOString() };
    const mac = await this.deps.signer.sign(restorePayload(request.id, order));
    const current = (await this.deps.requests.get(request.id))!;
    if (current.value.state !== request.state) return this.execute(input);
    let stored: RegistrationRequest;
    try {
      stored = (await this.deps.requests.update({ ...current.value, offboarding: { ...current.value.offboarding, restore: { ...order, mac } }, updatedAt: now.toISOString() }, current.etag)).value;
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) return this.execute(input);
      throw error;
    }
    const detail = kind === 'restoring' ? 'restore ordered after removal: the app comes back from deleted items, its permissions go through approval again' : 'restore ordered within the grace period: sign-in goes back on';
    await this.deps.audit.append({ at: now.toISOString(), action: 'offboard.restore', outcome: 'ok', actor: input.actor, requestId: request.id, correlationId: input.correlationId, detail });
    await this.deps.wakeWorker().catch(() => undefined);
    return { kind, request: stored };
  }

  /** Onboard's offboard requests for an app by that name or Application ID, newest first. */
  private async offboardingsOf(target: string): Promise<RegistrationRequest[]> {
    const typed = target.trim().replace(/^["']|["']$/g, '').toLowerCase();
    const all = await this.deps.requests.listInStates(['PendingApproval', 'Approved', 'Provisioning', 'Disabled', 'Offboarded']);
    return all.map((r) => r.value)
      .filter((r) => r.work?.kind === 'offboard' && (r.work.body.target.appId.toLowerCase() === typed || r.work.body.displayName.toLowerCase() === typed))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
