import { canonicalJson, sha256Hex } from './canonicalJson';
import { worstRisk, type RiskTier } from './catalog/permissions';
import type { PlannedPermission } from './plan';

/**
 * Offboarding a vendor app Onboard created: the plan an ordinary request carries, so it goes through the same
 * approval. Step 1 (at once) disables the service principal; step 2 (after the grace period) removes every grant and
 * credential and soft-deletes the application, which Entra keeps restorable for 30 days. Like a drift fix it has no
 * `application` body, so the registration saga can never mistake it for a new app.
 */
export interface OffboardTarget {
  appId: string;
  /** The application's object id. */
  objectId: string;
  servicePrincipalId: string;
}

export interface OffboardPlan {
  kind: 'offboard';
  vendor: string;
  vendorId: 'offboard';
  displayName: string;
  target: OffboardTarget;
  /** The request whose saga created the app: Onboard's own record, the only thing that makes an app offboardable. */
  ofRequestId: string;
  graceDays: number;
  /** What the app held when the plan was made, for the card; step 2 removes whatever it holds then. */
  holds: { permissions: PlannedPermission[]; passwords: number; certificates: number };
  /** Set when the periodic review proposed this offboarding because nobody answered. */
  proposedByReview?: boolean;
  features: string[];
  secret: { issue: false; lifetimeDays: 0 };
  followUps: string[];
  risk: RiskTier;
  planHash: string;
}

export const isOffboardPlan = (plan: unknown): plan is OffboardPlan => (plan as { kind?: unknown } | null)?.kind === 'offboard';

export interface OffboardInput {
  app: { appId: string; id: string; displayName: string; servicePrincipalId: string };
  ofRequestId: string;
  graceDays: number;
  holds: OffboardPlan['holds'];
  proposedByReview?: boolean;
}

/**
 * Removing access is as risky as the access it removes (the drift fix's rule): stopping a high-risk integration can
 * stop a business process, so it needs the approvers granting it would have needed; never less than medium.
 */
export function offboardPlan(input: OffboardInput): OffboardPlan {
  const { app, holds, graceDays } = input;
  const plan: Omit<OffboardPlan, 'planHash'> = {
    kind: 'offboard', vendor: 'Offboard', vendorId: 'offboard', displayName: app.displayName,
    target: { appId: app.appId, objectId: app.id, servicePrincipalId: app.servicePrincipalId },
    ofRequestId: input.ofRequestId, graceDays, holds,
    ...(input.proposedByReview ? { proposedByReview: true } : {}),
    features: [
      'disable sign-in of the enterprise app at once (it can be turned back on)',
      `after ${graceDays} days: remove ${holds.permissions.length} permission grant(s), ${holds.passwords} secret(s) and ${holds.certificates} certificate(s), and delete the app registration (restorable for 30 days)`,
    ],
    secret: { issue: false, lifetimeDays: 0 }, followUps: [],
    risk: worstRisk(['medium', ...holds.permissions.map((p) => p.risk)]),
  };
  return { ...plan, planHash: sha256Hex(canonicalJson(plan)) };
}
