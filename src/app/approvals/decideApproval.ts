import { approve, reject, describeRefusal, type Person, type RegistrationRequest } from '../../domain/request';
import { checkDecision, describePolicyRefusal, type PolicySettings } from '../../domain/policy';
import { approvalPayload } from '../../domain/planGuard';
import type { ApprovalSigner } from './approvalSigner';
import { isConcurrencyConflict } from '../errors';
import type { Clock } from '../ports';
import type { AuditLog, Membership, RequestStore } from '../workflowPorts';
import { resolveActor, type Groups } from './actors';

export interface DecideApprovalInput {
  requestId: string;
  planHash: string;
  decision: 'approve' | 'reject';
  reason?: string;
  actor: Person;
  correlationId: string;
}

export type DecideApprovalResult =
  | { kind: 'decided'; request: RegistrationRequest; outcome: 'approved' | 'approval-recorded' | 'rejected' }
  | { kind: 'refused'; code: string; message: string; request?: RegistrationRequest };

export interface DecideApprovalDeps {
  requests: RequestStore;
  audit: AuditLog;
  membership: Membership;
  groups: Groups;
  policy: PolicySettings;
  clock: Clock;
  /** Signs the approval once it is complete; without one, the worker refuses to act on it. */
  signer?: ApprovalSigner;
}

/**
 * An approver's click. Everything is decided from the store and the directory; the card only
 * names the request and the plan hash it showed. A lost compare-and-set re-reads and re-decides,
 * so concurrent clicks give exactly one decision and the others see the state that won.
 */
export class DecideApproval {
  constructor(private readonly deps: DecideApprovalDeps) {}

  async execute(input: DecideApprovalInput): Promise<DecideApprovalResult> {
    const { requests } = this.deps;
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await requests.get(input.requestId);
      if (!current) return this.refuse(input, 'unknown-request', 'I cannot find that request. The card may belong to another Onboard installation.');
      const request = current.value;
      if (request.planHash !== input.planHash) return this.refuse(input, 'out-of-date', 'This card is out of date: the plan changed after it was sent. Use the latest card for this request.', request);
      const actor = await resolveActor(input.actor, this.deps.membership, this.deps.groups);
      const policyRefusal = checkDecision(request, actor, this.deps.policy);
      if (policyRefusal) return this.refuse(input, policyRefusal, describePolicyRefusal(policyRefusal), request);

      const now = this.deps.clock.now();
      const result = input.decision === 'approve' ? approve(request, input.actor, now) : reject(request, input.actor, input.reason ?? '', now);
      if (!result.ok) return this.refuse(input, result.refusal.code, describeRefusal(result.refusal), request);
      const decided = result.request.state === 'Approved' ? { ...result.request, approvalMac: await this.signature(result.request) } : result.request;
      try {
        const saved = await requests.update(decided, current.etag);
        const outcome = input.decision === 'reject' ? 'rejected' : saved.value.state === 'Approved' ? 'approved' : 'approval-recorded';
        await this.deps.audit.append({ at: now.toISOString(), action: outcome, outcome: 'ok', actor: input.actor, requestId: request.id, planHash: request.planHash, correlationId: input.correlationId, detail: input.reason });
        return { kind: 'decided', request: saved.value, outcome };
      } catch (error) {
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
    return this.refuse(input, 'busy', 'Many people are acting on this request at once. Please try again in a moment.');
  }

  /**
   * Fails closed without failing the click: an approval that cannot be signed (no key, vault down) is recorded
   * unsigned, and the worker refuses it with that reason, audited, telling the approvers.
   */
  private async signature(request: RegistrationRequest): Promise<string | undefined> {
    try {
      return await this.deps.signer?.sign(approvalPayload(request));
    } catch {
      return undefined;
    }
  }

  private async refuse(input: DecideApprovalInput, code: string, message: string, request?: RegistrationRequest): Promise<DecideApprovalResult> {
    await this.deps.audit.append({
      at: this.deps.clock.now().toISOString(), action: input.decision, outcome: 'refused', actor: input.actor, requestId: input.requestId,
      planHash: input.planHash.slice(0, 80), correlationId: input.correlationId, detail: code,
    });
    return { kind: 'refused', code, message, request };
  }
}
