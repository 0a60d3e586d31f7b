import type { Person, RegistrationRequest } from '../../domain/request';
import type { PolicySettings } from '../../domain/policy';
import type { Clock } from '../ports';
import type { Membership, RequestStore } from '../workflowPorts';
import { resolveActor, type Groups } from '../approvals/actors';

export interface AwaitingDeps {
  requests: RequestStore;
  membership: Membership;
  groups: Groups;
  policy: PolicySettings;
  clock: Clock;
}

/**
 * An approver's inbox: the requests still waiting that this person may decide and has not yet approved,
 * oldest first. Their own requests are included only where self-approval makes them an approver of them.
 */
export class ListAwaitingDecision {
  constructor(private readonly deps: AwaitingDeps) {}

  async execute(person: Person): Promise<{ isApprover: boolean; requests: RegistrationRequest[] }> {
    const actor = await resolveActor(person, this.deps.membership, this.deps.groups);
    const now = this.deps.clock.now().toISOString();
    const pending = (await this.deps.requests.listInStates(['PendingApproval'])).map((v) => v.value);
    const mayDecide = (r: RegistrationRequest) => (r.requester.id === person.id ? this.deps.policy.allowSelfApproval && !!r.selfApprovalAllowed : actor.isApprover);
    const requests = pending
      .filter((r) => r.expiresAt > now && mayDecide(r) && !r.approvals.some((a) => a.by.id === person.id))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return { isApprover: actor.isApprover, requests };
  }
}
