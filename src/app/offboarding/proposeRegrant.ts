import { driftFixPlan, type DriftFixPlan } from '../../domain/driftFix';
import type { OffboardPlan } from '../../domain/offboarding';
import { approvalsRequired, type PolicySettings } from '../../domain/policy';
import { submitRequest, type Person, type RegistrationRequest } from '../../domain/request';
import { AlreadyExistsError } from '../errors';
import type { InspectApp } from '../helpdesk/inspectApp';
import type { Clock } from '../ports';
import { requestIdFor } from '../requests/submitRequest';
import type { RequestNotifier, RequestStore } from '../workflowPorts';

export interface ProposeRegrantDeps {
  inspect: InspectApp;
  requests: RequestStore;
  notifier: RequestNotifier;
  policy: PolicySettings;
  clock: Clock;
  expiryMs: number;
}

const WORKER: Person & { isApprover: boolean; isHelpdesk: boolean } = { id: 'onboard-worker', name: 'Onboard', isApprover: true, isHelpdesk: true };

/**
 * After an offboarded app comes back from deleted items, its approved plan's permissions go through a normal approval
 * again: a drift-fix request against the plan of the request that created the app (what was approved then, nothing
 * more), asked in the name of the approver who ordered the restore, so another approver decides. Its id comes from
 * the offboard request's, so a worker that dies and retries finds the same request.
 */
export class ProposeRegrant {
  constructor(private readonly deps: ProposeRegrantDeps) {}

  async execute(offboard: RegistrationRequest, plan: OffboardPlan, orderedBy: Person): Promise<string | undefined> {
    const id = requestIdFor(`regrant:${offboard.id}`);
    if (await this.deps.requests.get(id)) return id;
    const outcome = await this.deps.inspect.execute({ target: plan.target.appId, actor: WORKER });
    if (outcome.kind !== 'found') throw new Error(`the restored app ${plan.target.appId} cannot be read back yet`);
    const { app, drift, servicePrincipalId } = outcome.inspection;
    if (!drift || !servicePrincipalId) throw new Error(`the restored app ${plan.target.appId} has no ${drift ? 'service principal' : 'record of what was approved'} to compare with`);
    const fix = driftFixPlan({ ...app, servicePrincipalId }, drift);
    if (!fix) return undefined;
    const now = this.deps.clock.now();
    const request = submitRequest<DriftFixPlan>({
      id, requester: orderedBy, title: `Re-grant after restore: ${app.displayName}`, vendor: 'Drift fix',
      text: `re-grant ${app.displayName} (${app.appId}) what ${drift.source} approved, after its restore (${offboard.id})`, plan: fix, planHash: fix.planHash, risk: fix.risk,
      requiredApprovals: approvalsRequired(fix.risk, this.deps.policy), expiresAfterMs: this.deps.expiryMs, selfApprovalAllowed: this.deps.policy.allowSelfApproval || undefined,
    }, now) as RegistrationRequest;
    try {
      await this.deps.requests.create(request);
    } catch (error) {
      if (error instanceof AlreadyExistsError) return id;
      throw error;
    }
    // The worker cannot post approval cards itself (it has no Bot Framework identity): the notice carries the request,
    // and the bot shows it to the people it concerns, as for any change.
    await this.deps.notifier.changed(request, `${app.displayName} (${app.appId}) is back from deleted items. ${request.id} asks the approvers again for what ${drift.source} approved: ${fix.features.join(', ')}.`);
    return id;
  }
}
