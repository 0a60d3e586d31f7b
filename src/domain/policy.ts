import type { RegistrationRequest, RiskTier } from './request';

/**
 * Who may do what. Decided when a click arrives, from the store and the directory, never from
 * anything the card carried.
 */
export interface Actor {
  id: string;
  name: string;
  isApprover: boolean;
  isHelpdesk: boolean;
}

export interface PolicySettings {
  /** Local profile only: lets one person try the whole flow alone. Cards say when it is on. */
  allowSelfApproval: boolean;
  /** Distinct approvers a high-risk plan needs. */
  highRiskApprovals: number;
}

export type PolicyRefusal = 'not-an-approver' | 'self-approval' | 'not-allowed-to-inspect';

export function approvalsRequired(risk: RiskTier, settings: PolicySettings): number {
  // A Tier-0 plan is refused before it is stored and again by the saga; were one stored anyway, it needs the most.
  return risk === 'high' || risk === 'tier0' ? Math.max(2, settings.highRiskApprovals) : 1;
}

export function checkDecision(request: RegistrationRequest, actor: Actor, settings: PolicySettings): PolicyRefusal | undefined {
  const own = request.requester.id === actor.id;
  // Self-approval (local profile only; config refuses it in Azure) makes the requester an approver of their own request.
  if (!actor.isApprover && !(own && settings.allowSelfApproval)) return 'not-an-approver';
  if (own && !settings.allowSelfApproval) return 'self-approval';
  return undefined;
}

export function checkInspect(actor: Actor): PolicyRefusal | undefined {
  return actor.isApprover || actor.isHelpdesk ? undefined : 'not-allowed-to-inspect';
}

export function describePolicyRefusal(refusal: PolicyRefusal): string {
  switch (refusal) {
    case 'not-an-approver':
      return 'Only members of the Onboard approvers group can decide on requests. Ask an approver, or your Entra admin to add you to the group.';
    case 'self-approval':
      return 'You cannot approve your own request. Another approver has to decide on it.';
    case 'not-allowed-to-inspect':
      return 'Only the helpdesk and approvers can inspect apps. Ask a member of the Onboard Helpdesk group.';
  }
}
