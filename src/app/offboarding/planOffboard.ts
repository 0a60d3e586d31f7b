import { offboardPlan, type OffboardPlan } from '../../domain/offboarding';
import type { PlannedPermission } from '../../domain/plan';
import type { Actor } from '../../domain/policy';
import type { RegistrationRequest } from '../../domain/request';
import type { InspectApp, Inspection } from '../helpdesk/inspectApp';
import { requestThatMade } from '../helpdesk/onboardOrigin';
import type { RequestStore } from '../workflowPorts';

export type PlanOffboardResult =
  | { kind: 'plan'; plan: OffboardPlan; madeBy: RegistrationRequest }
  | { kind: 'ambiguous'; candidates: { appId: string; displayName: string }[] }
  | { kind: 'refused'; message: string };

export interface PlanOffboardDeps {
  inspect: InspectApp;
  requests: RequestStore;
  graceDays: number;
}

/** What an admin does by hand for an app Onboard did not make: said every time Onboard refuses one. */
export const BY_HAND = 'An Entra admin can do it by hand: in the Entra admin center, open Enterprise apps › the app › Properties and set "Enabled for users to sign-in" to No; remove its admin and user consent under Permissions; then delete its registration under App registrations.';

/**
 * "offboard Miradore", read only: finds the app (by name or Application ID), checks from Onboard's own records that
 * Onboard's saga made it (never from tags: anyone who registers an app writes those), and lists what it holds now.
 * The chat card, the CLI (`onboard offboard`, which only plans) and RequestOffboard all start here.
 */
export class PlanOffboard {
  constructor(private readonly deps: PlanOffboardDeps) {}

  async execute(input: { target: string; actor?: Actor; proposedByReview?: boolean }): Promise<PlanOffboardResult> {
    const actor = input.actor ?? { id: 'onboard', name: 'Onboard', isApprover: true, isHelpdesk: true };
    const outcome = await this.deps.inspect.execute({ target: input.target, actor });
    if (outcome.kind === 'ambiguous') return { kind: 'ambiguous', candidates: outcome.choices.map(({ appId, displayName }) => ({ appId, displayName })) };
    if (outcome.kind === 'not-found') {
      const hint = outcome.suggestions.length ? ` Did you mean ${outcome.suggestions.map((s) => `**${s}**`).join(', ')}?` : '';
      return { kind: 'refused', message: `I cannot find an app called ${outcome.target} in this tenant.${hint} Type its exact name or its Application ID.` };
    }
    return this.planFor(outcome.inspection, input.proposedByReview);
  }

  private async planFor(inspection: Inspection, proposedByReview?: boolean): Promise<PlanOffboardResult> {
    const { app } = inspection;
    // Read again rather than trusting the inspection's id: the row itself is what RequestOffboard will point at.
    const madeBy = await requestThatMade(this.deps.requests, app);
    if (!madeBy) {
      const claim = inspection.taggedAs ? ' Its tags say Onboard made it, but tags can be written by anyone who can edit the app, and Onboard\'s own records show no such app.' : ' Onboard\'s records show it did not create this app.';
      return { kind: 'refused', message: `Onboard can offboard only the apps it created itself, and ${app.displayName} (${app.appId}) is not one of them.${claim} ${BY_HAND}` };
    }
    if (!inspection.servicePrincipalId) {
      return { kind: 'refused', message: `${app.displayName} has no enterprise app (service principal) in this tenant, so there is no sign-in to disable. ${BY_HAND}` };
    }
    const permissions = inspection.permissions.filter((p) => p.granted !== 'no').map(toPlanned);
    const plan = offboardPlan({
      app: { appId: app.appId, id: app.id, displayName: app.displayName, servicePrincipalId: inspection.servicePrincipalId },
      ofRequestId: madeBy.id, graceDays: this.deps.graceDays, proposedByReview,
      holds: { permissions, passwords: app.passwords.length, certificates: app.certificates.length },
    });
    return { kind: 'plan', plan, madeBy };
  }
}

/** An unknown risk counts as high: removing what nobody can classify needs the approvers the worst case needs. */
function toPlanned(row: Inspection['permissions'][number]): PlannedPermission {
  return {
    resourceAppId: row.resourceAppId, resource: row.resource, name: row.name, type: row.type, id: row.id,
    adminConsentRequired: row.adminConsentRequired ?? true, risk: row.risk === 'unknown' ? 'high' : row.risk,
    adminDisplayName: `${row.name} on ${row.resource}`,
  };
}
