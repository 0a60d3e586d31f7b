import { driftFixPlan, type DriftFixPlan } from '../../domain/driftFix';
import { approvalsRequired, type PolicySettings } from '../../domain/policy';
import { submitRequest, type Person, type RegistrationRequest } from '../../domain/request';
import { resolveActor, type Groups } from '../approvals/actors';
import { AlreadyExistsError } from '../errors';
import type { Clock } from '../ports';
import { requestIdFor } from '../requests/submitRequest';
import type { AuditLog, Membership, RequestNotifier, RequestStore } from '../workflowPorts';
import type { InspectApp } from './inspectApp';

export type DriftFixResult =
  | { kind: 'submitted'; request: RegistrationRequest; where: 'channel' | 'approvers' | 'nowhere' }
  | { kind: 'already-submitted'; request: RegistrationRequest }
  | { kind: 'refused'; message: string };

export interface RequestDriftFixDeps {
  inspect: InspectApp;
  requests: RequestStore;
  audit: AuditLog;
  membership: Membership;
  groups: Groups;
  notifier: RequestNotifier;
  policy: PolicySettings;
  clock: Clock;
  expiryMs: number;
}

/**
 * Fix drift: an approver asks for the app's missing permissions to be granted and its extras removed. The drift is
 * read again now (the card's is only a hint), and the change goes through the ordinary approval, so another
 * approver decides on it. A second click on the same drift finds the same request.
 */
export class RequestDriftFix {
  constructor(private readonly deps: RequestDriftFixDeps) {}

  async execute(input: { appId: string; actor: Person; correlationId: string }): Promise<DriftFixResult> {
    const now = this.deps.clock.now();
    const refuse = async (message: string, detail: string): Promise<DriftFixResult> => {
      await this.deps.audit.append({ at: now.toISOString(), action: 'drift.fix', outcome: 'refused', actor: input.actor, correlationId: input.correlationId, detail: detail.slice(0, 200) });
      return { kind: 'refused', message };
    };
    const actor = await resolveActor(input.actor, this.deps.membership, this.deps.groups);
    if (!actor.isApprover) return refuse('Only members of the Onboard Approvers group can ask for drift to be fixed. Ask an approver.', 'not an approver');
    const outcome = await this.deps.inspect.execute({ target: input.appId, actor });
    if (outcome.kind !== 'found') return refuse(`I cannot find the app ${input.appId} any more. Type **check [app name]** to look again.`, `app ${input.appId} not found`);
    const { app, drift, servicePrincipalId } = outcome.inspection;
    // No reference unless Onboard's records made the app or a recipe allow-lists its appId: a tag or a name never grants.
    if (!drift) return refuse(`${app.displayName} has nothing to compare with: Onboard's records do not show that Onboard made it, and no vendor recipe lists its Application ID.`, 'no reference');
    if (!servicePrincipalId) return refuse(`${app.displayName} has no enterprise app (service principal) in this tenant, so nothing can be granted to it.`, 'no service principal');
    const plan = driftFixPlan({ ...app, servicePrincipalId }, drift);
    if (!plan) return refuse(`${app.displayName} has no permission drift any more${drift.shape.length ? ' (its other differences need its owner)' : ''}. Type **check ${app.appId}** to see it now.`, 'no drift');
    const id = requestIdFor(`drift:${app.appId}:${plan.planHash}`);
    const existing = await this.deps.requests.get(id);
    if (existing && ['PendingApproval', 'Approved', 'Provisioning'].includes(existing.value.state)) return { kind: 'already-submitted', request: existing.value };
    const request = submitRequest<DriftFixPlan>({
      id: existing ? requestIdFor(`drift:${app.appId}:${plan.planHash}:${now.getTime()}`) : id, requester: input.actor, title: `Fix drift: ${app.displayName}`, vendor: 'Drift fix',
      text: `fix drift of ${app.displayName} (${app.appId}) against ${drift.source}`, plan, planHash: plan.planHash, risk: plan.risk,
      requiredApprovals: approvalsRequired(plan.risk, this.deps.policy), expiresAfterMs: this.deps.expiryMs, selfApprovalAllowed: this.deps.policy.allowSelfApproval || undefined,
    }, now) as RegistrationRequest;
    try {
      await this.deps.requests.create(request);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      return { kind: 'already-submitted', request: (await this.deps.requests.get(request.id))!.value };
    }
    await this.deps.audit.append({ at: now.toISOString(), action: 'drift.fix.requested', outcome: 'ok', actor: input.actor, requestId: request.id, planHash: plan.planHash, correlationId: input.correlationId, detail: plan.features.join('; ').slice(0, 200) });
    const delivery = await this.deps.notifier.submitted(request);
    return { kind: 'submitted', request, where: delivery.where };
  }
}
