import type { RiskTier } from '../../domain/catalog/permissions';

/** What every card shows about a plan, in words people read. Built from the domain plan in one place. */
export interface PermissionLine {
  name: string;
  type: 'Application' | 'Delegated';
  allows: string;
  adminConsent: 'Yes' | 'No';
  /**
   * What consent means here, as the card says it: an application permission has admin consent; a delegated
   * one is consented by Onboard for all users (AllPrincipals), whatever Entra's "admin consent required" says.
   */
  consent: string;
  risk: RiskTier;
  riskColor: 'Attention' | 'Warning' | 'Good';
}

export interface PlanView {
  vendor: string;
  summary: string;
  /** How Onboard read the request ("Read as: …"); empty for requests stored before it existed. */
  reading?: string;
  /** What was read differently from how it was typed, or left out; shown in the attention colour. */
  notices?: { text: string }[];
  appName: string;
  permissions: PermissionLine[];
  shape: { title: string; value: string }[];
  secretText: string;
  followUps: { text: string }[];
  risk: RiskTier;
  /** The card's headings where this kind of request is not "register an app" (offboarding); defaults in requestView. */
  headings?: PlanHeadings;
}

export interface PlanHeadings {
  /** The requester's heading; by default the app's name. */
  title?: string;
  /** What approvers are asked to approve ("… asks you to approve offboarding Miradore"). */
  subject?: string;
  permissions?: string;
  shape?: string;
  result?: string;
  approve?: string;
}

export const riskColors: Record<PermissionLine['risk'], PermissionLine['riskColor']> = { tier0: 'Attention', high: 'Attention', medium: 'Warning', low: 'Good' };

export function riskSummary(permissions: PermissionLine[]): string {
  const count = (risk: PermissionLine['risk']) => permissions.filter((p) => p.risk === risk).length;
  const parts = (['tier0', 'high', 'medium', 'low'] as const).filter((r) => count(r) > 0).map((r) => `${count(r)} ${r === 'tier0' ? 'Tier 0' : `${r} risk`}`);
  return parts.length ? parts.join(', ') : 'none';
}
