import type { GrantRequest, ReadBack, ResourceServicePrincipal } from './directoryPort';
import { patchAfterCreate, type ProvisioningPlan } from '../domain/provisioning';
import type { ProvisioningResults } from '../domain/request';

export type Resources = Map<string, ResourceServicePrincipal>;

/**
 * The grants a plan needs, with the resource service principals of this tenant. A permission whose id
 * the tenant's API does not publish under that name is a problem, never a silent substitution: the
 * approver approved those exact ids.
 */
export function desiredGrants(plan: ProvisioningPlan, servicePrincipalId: string, resources: Resources): { grants: GrantRequest[]; problems: string[] } {
  const grants: GrantRequest[] = [];
  const problems: string[] = [];
  const scopes = new Map<string, string[]>();
  for (const p of plan.permissions) {
    if (p.resourceAppId === 'self') {
      scopes.set(servicePrincipalId, [...(scopes.get(servicePrincipalId) ?? []), p.name]);
      continue;
    }
    const resource = resources.get(p.resourceAppId);
    if (!resource) {
      problems.push(`The tenant has no service principal for ${p.resource} (${p.resourceAppId}), so ${p.name} cannot be granted.`);
      continue;
    }
    const published = p.type === 'Application' ? resource.appRoles : resource.oauth2PermissionScopes;
    const match = published.find((x) => x.id.toLowerCase() === p.id.toLowerCase());
    if (!match || match.value !== p.name) {
      problems.push(`${resource.displayName} in this tenant does not publish ${p.name} (${p.type === 'Application' ? 'application' : 'delegated'}) with id ${p.id}${match ? `; that id is ${match.value}` : ''}.`);
      continue;
    }
    if (p.type === 'Application') grants.push({ kind: 'appRole', principalId: servicePrincipalId, resourceId: resource.id, appRoleId: p.id });
    else scopes.set(resource.id, [...(scopes.get(resource.id) ?? []), p.name]);
  }
  for (const [resourceId, names] of scopes) grants.push({ kind: 'delegated', clientId: servicePrincipalId, resourceId, scope: [...new Set(names)].join(' ') });
  return { grants, problems };
}

export interface Expected {
  app: { id: string; appId: string };
  servicePrincipalId: string;
  passwordDisplayName: string;
  passwordKeyId?: string;
  ownerIds?: string[];
}

/** Compares what Graph reports with the plan: every difference in words, and each permission marked verified. */
export function compareWithPlan(plan: ProvisioningPlan, expected: Expected, resources: Resources, read: ReadBack): { problems: string[]; permissions: ProvisioningResults['verify']['permissions'] } {
  const problems: string[] = [];
  const { requiredResourceAccess: _rra, ...shape } = plan.createBody;
  for (const [key, value] of Object.entries(shape)) {
    if (!contains(read.application[key], value)) problems.push(`application ${key} is ${JSON.stringify(read.application[key])}, the plan says ${JSON.stringify(value)}`);
  }
  const patch = patchAfterCreate(plan, expected.app.appId);
  const wantedAccess = (patch?.requiredResourceAccess ?? plan.createBody.requiredResourceAccess ?? []) as unknown[];
  if (!contains(read.application.requiredResourceAccess ?? [], wantedAccess)) problems.push('application requiredResourceAccess differs from the plan');
  if (patch?.identifierUris && !contains(read.application.identifierUris, patch.identifierUris)) problems.push(`identifierUris is ${JSON.stringify(read.application.identifierUris)}`);
  if (read.servicePrincipal.appId !== expected.app.appId) problems.push('the service principal belongs to another application');

  const ours = read.application.passwordCredentials.filter((p) => p.displayName === expected.passwordDisplayName);
  if (plan.secret.issue && (ours.length !== 1 || ours[0].keyId !== expected.passwordKeyId)) problems.push(`expected exactly the client secret ${expected.passwordKeyId}, found ${ours.map((p) => p.keyId).join(', ') || 'none'}`);
  if (!plan.secret.issue && ours.length) problems.push('a client secret exists although the plan issues none');
  for (const owner of expected.ownerIds ?? []) if (!read.ownerIds?.includes(owner)) problems.push(`${owner} is not an owner of the application`);

  const permissions = plan.permissions.map((p) => {
    const resourceId = p.resourceAppId === 'self' ? expected.servicePrincipalId : resources.get(p.resourceAppId)?.id;
    const verified = p.type === 'Application'
      ? read.appRoleAssignments.some((a) => a.resourceId === resourceId && a.appRoleId.toLowerCase() === p.id.toLowerCase())
      : read.delegatedGrants.some((g) => g.resourceId === resourceId && g.consentType === 'AllPrincipals' && !g.principalId && g.scope.split(' ').includes(p.name));
    if (!verified) problems.push(`${p.name} (${p.type === 'Application' ? 'application' : 'delegated'}) on ${p.resource} is not granted`);
    return { resource: p.resource, name: p.name, type: p.type, verified };
  });
  const plannedRoles = new Set(plan.permissions.filter((p) => p.type === 'Application').map((p) => p.id.toLowerCase()));
  for (const a of read.appRoleAssignments) if (!plannedRoles.has(a.appRoleId.toLowerCase())) problems.push(`an app role ${a.appRoleId} is granted that the plan does not list`);
  return { problems, permissions };
}

/** `expected` is contained in `actual`: objects key by key, arrays element for element in any order. */
export function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    const left = [...actual];
    return expected.every((e) => {
      const i = left.findIndex((a) => contains(a, e));
      if (i < 0) return false;
      left.splice(i, 1);
      return true;
    });
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}
