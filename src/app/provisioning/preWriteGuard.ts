import { approvalPayload, checkStoredRequest } from '../../domain/planGuard';
import type { PolicySettings } from '../../domain/policy';
import type { RegistrationRequest } from '../../domain/request';
import { parseStoredPlan } from '../../domain/storedPlan';
import type { ApprovalSigner } from '../approvals/approvalSigner';
import type { Membership, RequestStore } from '../workflowPorts';
import { createdThisApp } from '../../domain/appOrigin';
import type { OffboardPlan } from '../../domain/offboarding';
import { restorePayload } from '../../domain/offboardRecord';

export interface PreWriteGuardDeps {
  /** Asked afresh on every check (no cache): membership is what the directory says *now*. */
  membership: Membership;
  approversGroup?: string;
  signer?: ApprovalSigner;
  policy: PolicySettings;
  /** Where an offboard plan's request of origin is read, to check its target is the app that request created. */
  requests?: RequestStore;
}

/**
 * The checks the process holding Graph's write roles makes before any write, on its own, from the stored
 * request alone (ARCHITECTURE.md, "Trust boundaries"): the approval HMAC; the plan hash, allow-list, tiers
 * and approval policy (domain/planGuard.ts); and each recorded approver's membership of the approvers group
 * now. An empty answer means go; otherwise each entry says, in words, why not.
 */
export class PreWriteGuard {
  constructor(private readonly deps: PreWriteGuardDeps) {}

  async check(request: RegistrationRequest): Promise<string[]> {
    const plan = request.work ?? parseStoredPlan(request);
    if (plan.kind === 'unreadable') return [plan.problem];
    const problems = checkStoredRequest(request, plan, { policy: this.deps.policy });
    const { signer, membership, approversGroup } = this.deps;
    if (!request.approvalMac) problems.push('the approval carries no signature, so it was not recorded by Onboard');
    else if (!signer) problems.push('this process has no approval key to check the approval signature with');
    else if (!(await signer.verify(approvalPayload(request), request.approvalMac))) problems.push('the approval signature does not match its request, plan and approvers');
    if (!approversGroup) problems.push('no approvers group is configured');
    else {
      // Local self-approval (the request flagged, and this process's policy allows it: local profile only) lets the
      // requester approve their own request without being an approver; the same rule the decision applied.
      const selfAllowed = request.selfApprovalAllowed === true && this.deps.policy.allowSelfApproval;
      const checked = request.approvals.filter((a) => !(selfAllowed && a.by.id === request.requester.id));
      const memberships = await Promise.all(checked.map(async (a) => ({ a, member: (await membership.memberOf(a.by.id, [approversGroup])).has(approversGroup) })));
      for (const { a, member } of memberships) if (!member) problems.push(`${a.by.name} (${a.by.id}) is not, or no longer, a member of the approvers group`);
    }
    if (plan.kind === 'offboard') problems.push(...(await this.offboardTarget(plan.body)), ...(await this.restoreOrder(request)));
    return problems;
  }

  /** A restore order counts only if its MAC verifies and its author is an approver now. */
  private async restoreOrder(request: RegistrationRequest): Promise<string[]> {
    const order = request.offboarding?.restore;
    if (!order) return [];
    const { signer, membership, approversGroup } = this.deps;
    if (!signer || !(await signer.verify(restorePayload(request.id, order), order.mac))) return ['the restore order\'s signature does not match, so Onboard did not record it'];
    if (!approversGroup || !(await membership.memberOf(order.by.id, [approversGroup])).has(approversGroup)) return [`${order.by.name} (${order.by.id}), who ordered the restore, is not a member of the approvers group`];
    return [];
  }

  /**
   * The app an offboard plan names must be the very app (appId, object id and service principal) its request of
   * origin's saga created and recorded: a forged row naming another app, or pointing at another request, is refused.
   */
  private async offboardTarget(plan: OffboardPlan): Promise<string[]> {
    if (!this.deps.requests) return ['this process cannot read the request that created the app, so it cannot check the offboard target'];
    const origin = (await this.deps.requests.get(plan.ofRequestId))?.value;
    const made = origin?.provisioning?.steps;
    if (!origin || !createdThisApp(origin, { appId: plan.target.appId, objectId: plan.target.objectId }) || made?.servicePrincipal?.id.toLowerCase() !== plan.target.servicePrincipalId.toLowerCase()) {
      return [`Onboard's records do not show that request ${plan.ofRequestId} created the app ${plan.target.appId} with service principal ${plan.target.servicePrincipalId}`];
    }
    return [];
  }
}

/** One sentence for the approvers' card and the audit log. */
export const describeRefusal = (problems: string[]) =>
  `Onboard refused to act on this request: ${problems.join('; ')}. Submit the request again if it is still needed.`;
