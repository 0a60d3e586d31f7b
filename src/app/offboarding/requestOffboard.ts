import type { OffboardPlan } from '../../domain/offboarding';
import { approvalsRequired, type PolicySettings } from '../../domain/policy';
import { submitRequest, type RegistrationRequest, type RequestState } from '../../domain/request';
import { resolveActor, type Groups } from '../approvals/actors';
import { AlreadyExistsError } from '../errors';
import type { Clock } from '../ports';
import { requestIdFor } from '../requests/submitRequest';
import type { AuditLog, Membership, RequestNotifier, RequestStore } from '../workflowPorts';
import type { OffboardInput, OffboardRequester, OffboardResult } from './offboardPorts';
import type { PlanOffboard } from './planOffboard';

export interface RequestOffboardDeps {
  plan: PlanOffboard;
  requests: RequestStore;
  audit: AuditLog;
  membership: Membership;
  groups: Groups;
  notifier: RequestNotifier;
  policy: PolicySettings;
  clock: Clock;
  expiryMs: number;
}

/** An offboarding still under way: a second ask finds it rather than starting another. */
const OPEN: RequestState[] = ['PendingApproval', 'Approved', 'Provisioning', 'Disabled'];

/**
 * "offboard Miradore" on the bot: plans it (PlanOffboard: only apps Onboard's own records say it made), and stores
 * the plan as an ordinary request for the approvers, as many as the plan's risk needs. The bot writes nothing in the
 * directory; the worker carries it out after approval (RunOffboarding). Approvers, helpdesk and the person who asked
 * for the app may ask; the approval decides.
 */
export class RequestOffboard implements OffboardRequester {
  constructor(private readonly deps: RequestOffboardDeps) {}

  async execute(input: OffboardInput): Promise<OffboardResult> {
    const now = this.deps.clock.now();
    const refuse = async (message: string, detail: string): Promise<OffboardResult> => {
      await this.deps.audit.append({ at: now.toISOString(), action: 'offboard.requested', outcome: 'refused', actor: input.actor, correlationId: input.correlationId, detail: `${input.target}: ${detail}`.slice(0, 200) });
      return { kind: 'refused', message };
    };
    const actor = await resolveActor(input.actor, this.deps.membership, this.deps.groups);
    const planned = await this.deps.plan.execute({ target: input.target, actor, proposedByReview: input.proposedByReview });
    if (planned.kind === 'ambiguous') return planned;
    if (planned.kind === 'refused') return refuse(planned.message, 'not offboardable');
    const { plan, madeBy } = planned;
    const mayAsk = actor.isApprover || actor.isHelpdesk || madeBy.requester.id === actor.id || input.proposedByReview;
    if (!mayAsk) return refuse(`Only the person who asked for ${plan.displayName} (${madeBy.requester.name}), the helpdesk or an approver can ask for it to be offboarded. Ask one of them.`, 'not allowed');
    const open = await this.openFor(plan);
    if (open) return { kind: 'already-submitted', request: open };
    const request = submitRequest<OffboardPlan>({
      id: await this.freshId(plan, now), requester: input.actor, title: `Offboard: ${plan.displayName}`, vendor: 'Offboard',
      text: `offboard ${plan.displayName} (${plan.target.appId}), made by ${madeBy.id}`, plan, planHash: plan.planHash, risk: plan.risk,
      requiredApprovals: approvalsRequired(plan.risk, this.deps.policy), expiresAfterMs: this.deps.expiryMs, selfApprovalAllowed: this.deps.policy.allowSelfApproval || undefined,
    }, now) as RegistrationRequest;
    try {
      await this.deps.requests.create(request);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      return { kind: 'already-submitted', request: (await this.deps.requests.get(request.id))!.value };
    }
    await this.deps.audit.append({ at: now.toISOString(), action: 'offboard.requested', outcome: 'ok', actor: input.actor, requestId: request.id, planHash: plan.planHash, correlationId: input.correlationId, detail: `${plan.displayName} (${plan.target.appId}), made by ${madeBy.id}${input.proposedByReview ? ', proposed by the periodic review' : ''}`.slice(0, 200) });
    const delivery = await this.deps.notifier.submitted(request);
    return { kind: 'submitted', request, where: delivery.where };
  }

  /** The open offboarding of this app, whichever plan hash it had (the app's holds may have changed since). */
  private async openFor(plan: OffboardPlan): Promise<RegistrationRequest | undefined> {
    const first = await this.deps.requests.get(requestIdFor(`offboard:${plan.target.appId}`));
    if (first && OPEN.includes(first.value.state)) return first.value;
    const all = await this.deps.requests.listInStates(OPEN);
    return all.map((r) => r.value).find((r) => r.work?.kind === 'offboard' && r.work.body.target.appId === plan.target.appId);
  }

  /** One stable id for the first offboarding of an app (so two racing asks create one), a fresh one after that. */
  private async freshId(plan: OffboardPlan, now: Date): Promise<string> {
    const first = requestIdFor(`offboard:${plan.target.appId}`);
    return (await this.deps.requests.get(first)) ? requestIdFor(`offboard:${plan.target.appId}:${now.getTime()}`) : first;
  }
}
