import { approvalsRequired, type PolicySettings } from '../../domain/policy';
import { passwordDisplayName } from '../../domain/provisioning';
import { submitRequest, type Person, type RegistrationRequest } from '../../domain/request';
import { rotationApprovals } from '../../domain/rotation';
import { resolveActor, type Groups } from '../approvals/actors';
import type { Directory } from '../directoryPort';
import { AlreadyExistsError } from '../errors';
import type { Clock } from '../ports';
import { requestIdFor } from '../requests/submitRequest';
import type { AuditLog, Membership, RequestNotifier, RequestStore } from '../workflowPorts';

export interface RequestRotationDeps {
  requests: RequestStore;
  audit: AuditLog;
  directory: Pick<Directory, 'listPasswords'>;
  membership: Membership;
  groups: Groups;
  policy: PolicySettings;
  notifier: RequestNotifier;
  clock: Clock;
  expiryMs: number;
}

export type RotationResult =
  | { kind: 'submitted'; request: RegistrationRequest; delivered: number; where: 'channel' | 'approvers' | 'nowhere' }
  | { kind: 'already-waiting'; request: RegistrationRequest }
  | { kind: 'refused'; message: string };

const open = new Set(['PendingApproval', 'Approved', 'Provisioning']);
/** Every password Onboard handed over is named with this prefix (then the request id). */
export const HANDOVER_PREFIX = passwordDisplayName('');

/**
 * "rotate secret for <app>": a new request for an app Onboard created, through the same approval. Its plan is the
 * original request's (the approvers see what the app was approved for), but approval runs RotateSecret, which adds
 * one password to the recorded application and nothing else. The new secret goes to the app's original requester,
 * whoever asked: anyone else receives it only when named on the card ("… to me"), and then two approvers must agree.
 * The old handed-over passwords are recorded now and removed after the grace period, or when the recipient
 * confirms (FinishRotations).
 */
export class RequestRotation {
  constructor(private readonly deps: RequestRotationDeps) {}

  /** `recipient: 'me'`: the secret goes to the person asking instead of the app's original requester. */
  /** `revoking`: passwords a revoke is removing right now (the worker carries the order out a moment later), never kept as old secrets. */
  async execute(input: { target: string; actor: Person; correlationId: string; recipient?: 'requester' | 'me'; revoking?: readonly string[] }): Promise<RotationResult> {
    const { requests, clock } = this.deps;
    const now = clock.now();
    const refuse = async (message: string, detail: string, requestId?: string): Promise<RotationResult> => {
      await this.deps.audit.append({ at: now.toISOString(), action: 'rotation.request', outcome: 'refused', actor: input.actor, requestId, correlationId: input.correlationId, detail });
      return { kind: 'refused', message };
    };
    const target = input.target.trim().replace(/^["“]|["”]$/g, '');
    const all = (await requests.listInStates(['Provisioned', 'SecretDelivered', 'PendingApproval', 'Approved', 'Provisioning'])).map((v) => v.value);
    const created = all.filter((r) => !r.rotation && (r.state === 'Provisioned' || r.state === 'SecretDelivered') && r.provisioning?.steps.application);
    const matches = findApp(created, target);
    if (matches.length === 0) {
      return refuse(`Onboard did not register an app called "${target.slice(0, 80)}", so it cannot rotate its secret: it rotates only secrets of apps it created. For another app, rotate the secret in the Entra admin center, or type **status** to see the apps you requested.`, `no Onboard app matches "${target.slice(0, 80)}"`);
    }
    if (matches.length > 1) return refuse(`Several apps match "${target.slice(0, 80)}": ${matches.slice(0, 5).map((r) => `${r.title} (${r.id})`).join(', ')}. Say which: for example **rotate secret for ${matches[0].id}**.`, 'ambiguous');
    const origin = matches[0];
    const app = origin.provisioning!.steps.application!;
    if ((origin.plan as { secret?: { issue?: boolean } })?.secret?.issue !== true) {
      return refuse(`${origin.title} has no client secret to rotate: its plan uses delegated permissions only.`, 'no secret in plan', origin.id);
    }
    const actor = await resolveActor(input.actor, this.deps.membership, this.deps.groups);
    if (actor.id !== origin.requester.id && !actor.isApprover) {
      return refuse(`Only ${origin.requester.name}, who requested ${origin.title}, or an approver can ask for its secret to be rotated.`, 'not requester or approver', origin.id);
    }
    const waiting = all.find((r) => r.rotation?.ofRequestId === origin.id && open.has(r.state));
    if (waiting) return { kind: 'already-waiting', request: waiting };

    let live: string[];
    try {
      live = (await this.deps.directory.listPasswords(app.id)).filter((p) => p.displayName?.startsWith(HANDOVER_PREFIX) && !input.revoking?.includes(p.keyId)).map((p) => p.keyId);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return refuse(`${origin.title} (${app.appId}) no longer exists in the directory, so there is nothing to rotate.`, 'app gone', origin.id);
      throw error;
    }
    const earlier = all.filter((r) => r.rotation?.ofRequestId === origin.id).length;
    const id = requestIdFor(`rotation:${origin.id}:${earlier}`);
    const recipient: Person = input.recipient === 'me' ? { id: input.actor.id, name: input.actor.name } : origin.requester;
    const request: RegistrationRequest = {
      ...submitRequest({
        id, requester: input.actor, title: `${origin.title}: new client secret`, vendor: origin.vendor, text: `rotate secret for ${origin.title}${input.recipient === 'me' ? ' to me' : ''}`,
        plan: origin.plan, planHash: origin.planHash, risk: origin.risk, requiredApprovals: rotationApprovals(approvalsRequired(origin.risk, this.deps.policy), recipient, origin.requester),
        expiresAfterMs: this.deps.expiryMs, selfApprovalAllowed: this.deps.policy.allowSelfApproval || undefined,
      }, now),
      rotation: { ofRequestId: origin.id, appId: app.appId, oldKeyIds: live, recipient, originalRequester: origin.requester },
    };
    try {
      await requests.create(request);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      return { kind: 'already-waiting', request: (await requests.get(id))!.value };
    }
    await this.deps.audit.append({ at: now.toISOString(), action: 'rotation.requested', outcome: 'ok', actor: input.actor, requestId: id, planHash: request.planHash, correlationId: input.correlationId, detail: `new secret for ${app.appId} (from ${origin.id}) to ${recipient.name} (${recipient.id})${recipient.id === origin.requester.id ? '' : ', not the original requester: two approvers'}; ${live.length} live Onboard secret(s) to remove after the grace period: ${live.join(', ') || 'none'}` });
    return { kind: 'submitted', request, ...(await this.deps.notifier.submitted(request)) };
  }
}

/** By request id, application id, or name (exact first, then a unique partial match). */
export function findApp(created: RegistrationRequest[], target: string): RegistrationRequest[] {
  const t = target.toLowerCase();
  const name = (r: RegistrationRequest) => [r.title, (r.plan as { application?: { displayName?: string } })?.application?.displayName ?? ''].map((n) => n.toLowerCase());
  const exact = created.filter((r) => r.id.toLowerCase() === t || r.provisioning!.steps.application!.appId.toLowerCase() === t || name(r).includes(t));
  if (exact.length || t.length < 3) return exact;
  return created.filter((r) => name(r).some((n) => n.includes(t)));
}
