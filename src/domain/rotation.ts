import type { PlannedPermission } from './provisioning';
import type { Person, RegistrationRequest } from './request';

/**
 * Rules of secret rotation, pure. A rotation adds one password to an application Onboard created and hands it to
 * the app's original requester; it never re-applies the plan, so a grant an admin revoked stays revoked.
 */

/** Whom a request's one-time link is for: a rotation's named recipient, else whoever asked. */
export const recipientOf = (request: Pick<RegistrationRequest, 'requester' | 'rotation'>): Person => request.rotation?.recipient ?? request.requester;

/** Someone other than the app's original requester receives the secret: named on the card, and never on one approval. */
export function rotationApprovals(base: number, recipient: Person, originalRequester: Person): number {
  return recipient.id === originalRequester.id ? base : Math.max(2, base);
}

export interface GrantsNow {
  servicePrincipalId: string;
  appRoleAssignments: { resourceId: string; appRoleId: string }[];
  delegatedGrants: { resourceId: string; consentType: string; principalId: string | null; scope: string }[];
}

/**
 * How the app's grants differ from its approved plan, in words; empty when they match. Only reported: rotation
 * changes no grant, and Fix drift is the approved way to restore or remove one.
 */
export function grantDifferences(planned: PlannedPermission[], now: GrantsNow, resourceIdOf: (resourceAppId: string) => string | undefined): string[] {
  const resourceOf = (p: PlannedPermission) => (p.resourceAppId === 'self' ? now.servicePrincipalId : resourceIdOf(p.resourceAppId));
  const out: string[] = [];
  for (const p of planned) {
    const resourceId = resourceOf(p);
    const held = p.type === 'Application'
      ? now.appRoleAssignments.some((a) => a.resourceId === resourceId && a.appRoleId.toLowerCase() === p.id.toLowerCase())
      : now.delegatedGrants.some((g) => g.resourceId === resourceId && g.consentType === 'AllPrincipals' && !g.principalId && g.scope.split(' ').includes(p.name));
    if (!held) out.push(`${p.name} (${p.type}) is not granted`);
  }
  const plannedRoles = new Set(planned.filter((p) => p.type === 'Application').map((p) => p.id.toLowerCase()));
  for (const a of now.appRoleAssignments) if (!plannedRoles.has(a.appRoleId.toLowerCase())) out.push(`app role ${a.appRoleId} is granted but not in the plan`);
  return out;
}

/** What the people on a finished rotation are told. */
export function rotationDoneMessage(request: Pick<RegistrationRequest, 'id' | 'title' | 'rotation' | 'provisioning'>): string {
  const appId = request.rotation?.appId ?? request.provisioning?.steps.application?.appId ?? '';
  const recipient = request.rotation?.recipient;
  const base = `${request.id} (${request.title}): a new client secret was added to ${appId}${recipient ? ` for ${recipient.name}` : ''}; no permission or setting was changed.`;
  const differ = request.rotation?.grantsDiffer ?? [];
  if (!differ.length) return base;
  return `${base} Its permissions differ from its approved plan (${differ.join('; ')}) and were left as they are: if that is not intended (an incident), ask an approver to type **check ${appId}** and press **Fix drift**.`;
}
