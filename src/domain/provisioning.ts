import type { RegistrationPlan } from './plan';
import type { Progress, ProvisioningRecord, ProvisioningStep } from './request';

/**
 * Pure rules of provisioning: what the stored plan asks Graph for, the order and names of the steps,
 * which Graph errors are worth waiting out, and which of Onboard's own permissions a plan needs.
 */

export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type GraphBody = Record<string, unknown>;
export type PermissionType = 'Application' | 'Delegated';

/** `resourceAppId: 'self'` is the new app's own API (its appId does not exist until it is created). */
export interface PlannedPermission {
  resourceAppId: string;
  resource: string;
  name: string;
  type: PermissionType;
  id: string;
}

export interface ResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: 'Scope' | 'Role' }[];
}

export interface ProvisioningPlan {
  displayName: string;
  /** The application body for creation: the plan's, minus anything that names the app's own appId. */
  createBody: GraphBody;
  /** The post-creation patch with `{appId}` (or `self`) still in it: identifierUris and the self-referencing scope. */
  afterCreate?: { identifierUris?: string[]; requiredResourceAccess?: ResourceAccess[] };
  permissions: PlannedPermission[];
  secret: { issue: boolean; lifetimeDays: number };
}

export class PlanProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanProblem';
  }
}

/** The new app's own appId in a plan: `{appId}` (plan.ts's APP_ID), or anything else that is not a GUID. */
const isSelf = (resourceAppId: unknown) => typeof resourceAppId !== 'string' || !GUID.test(resourceAppId);

/** A registration plan as the store's schema parsed it (domain/storedPlan.ts); older plans may lack afterCreate. */
export type StoredRegistrationPlan = Pick<RegistrationPlan, 'application' | 'permissions' | 'secret'> & Partial<Pick<RegistrationPlan, 'displayName' | 'afterCreate'>>;

/** The saga's view of a stored registration plan: the create body, the post-creation patch and the grants. */
export function readProvisioningPlan(p: StoredRegistrationPlan, fallbackName: string): ProvisioningPlan {
  const { requiredResourceAccess: rra, identifierUris: _uris, ...rest } = p.application as GraphBody & { requiredResourceAccess?: ResourceAccess[] };
  const scopes = ((p.application.api as { oauth2PermissionScopes?: { id: string; value: string }[] } | undefined)?.oauth2PermissionScopes ?? []);
  const external = (rra ?? []).filter((r) => !isSelf(r.resourceAppId));
  const permissions: PlannedPermission[] = p.permissions.map((q) => {
    if (isSelf(q.resourceAppId)) {
      const own = scopes.find((s) => s.value === q.name || s.id === q.id);
      if (!own || q.type !== 'Delegated') throw new PlanProblem(`The plan grants ${q.name} on the app itself, but the app does not expose that scope.`);
      return { resourceAppId: 'self', resource: 'this app', name: own.value, type: 'Delegated', id: own.id };
    }
    if (!q.id || !GUID.test(q.id)) throw new PlanProblem(`The stored plan has no valid id for ${q.name}.`);
    return { resourceAppId: q.resourceAppId, resource: q.resource ?? q.resourceAppId, name: q.name, type: q.type, id: q.id };
  });
  const self = permissions.filter((q) => q.resourceAppId === 'self');
  // Plans without afterCreate (written before it existed) get the same patch derived from the exposed scopes.
  const afterCreate = p.afterCreate !== undefined ? p.afterCreate ?? undefined : scopes.length || self.length ? {
    ...(scopes.length ? { identifierUris: ['api://{appId}'] } : {}),
    ...(self.length ? { requiredResourceAccess: [...external, { resourceAppId: '{appId}', resourceAccess: self.map((q) => ({ id: q.id, type: 'Scope' as const })) }] } : {}),
  } : undefined;
  return {
    displayName: (p.application.displayName as string) ?? p.displayName ?? fallbackName,
    createBody: { ...rest, ...(rra ? { requiredResourceAccess: external } : {}) },
    afterCreate,
    permissions,
    secret: { issue: p.secret.issue === true, lifetimeDays: p.secret.lifetimeDays },
  };
}

/** The post-creation patch with the real appId in place of the placeholder, or undefined when none is needed. */
export function patchAfterCreate(plan: ProvisioningPlan, appId: string): GraphBody | undefined {
  const after = plan.afterCreate;
  if (!after || (!after.identifierUris?.length && !after.requiredResourceAccess)) return undefined;
  return {
    ...(after.identifierUris?.length ? { identifierUris: after.identifierUris.map((u) => u.replace(/\{appId\}/g, appId)) } : {}),
    ...(after.requiredResourceAccess ? { requiredResourceAccess: after.requiredResourceAccess.map((r) => ({ ...r, resourceAppId: isSelf(r.resourceAppId) ? appId : r.resourceAppId })) } : {}),
  };
}

/**
 * The idempotency key: an application with this uniqueName is this request's, and there is at most one. The
 * random part (from the Ids port) is what makes it Onboard's: the request id alone can be derived from the
 * preview card, and an app pre-created under a derivable name would otherwise be taken for Onboard's own.
 */
export const uniqueNameFor = (requestId: string, unguessable: string) => `onboard-${requestId}-${unguessable}`;
/** What every uniqueName of this request starts with (for finding its app in tests and by hand). */
export const uniqueNamePrefix = (requestId: string) => `onboard-${requestId}-`;
/** Every secret Onboard adds carries this name, so an orphan from a crash can be found and removed. */
export const passwordDisplayName = (requestId: string) => `Onboard handover ${requestId}`;
/** Key Vault names allow letters, digits and dashes only. */
export const handoverSecretName = (requestId: string) => `handover-${requestId.replace(/[^0-9A-Za-z-]/g, '-')}`;
export const entraAdminCenterLink = (appId: string) => `https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/${appId}`;

export const stepLabels: Record<ProvisioningStep, string> = {
  application: 'application registered',
  exposeApi: 'API exposed (identifier URI and scope)',
  servicePrincipal: 'service principal created',
  owners: 'owner added',
  password: 'client secret created',
  grants: 'permissions granted',
  verify: 'everything verified',
  vault: 'secret stored for the one-time link',
};

/** The steps this plan needs, in the order the status card counts them. */
export function stepsFor(plan: ProvisioningPlan, options: { owners: boolean }): ProvisioningStep[] {
  const steps: ProvisioningStep[] = ['application'];
  if (patchAfterCreate(plan, 'x')) steps.push('exposeApi');
  steps.push('servicePrincipal');
  if (options.owners) steps.push('owners');
  if (plan.secret.issue) steps.push('password', 'vault');
  if (plan.permissions.length) steps.push('grants');
  steps.push('verify');
  return steps;
}

/** "3 of 7: service principal created": finished steps counted, whatever order parallel ones ended in. */
export function progressOf(steps: ProvisioningStep[], record: ProvisioningRecord, justDone: ProvisioningStep): Progress {
  return { step: steps.filter((s) => record.steps[s]).length, total: steps.length, label: stepLabels[justDone] };
}

/** Exponential backoff with "equal jitter": half fixed, half random, so instances never retry in step. */
export function backoffDelayMs(attempt: number, random: number, options: { baseMs?: number; capMs?: number } = {}): number {
  const ceiling = Math.min(options.capMs ?? 8_000, (options.baseMs ?? 200) * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** What a failed Graph call means for the saga. */
export type FailureKind = 'lag' | 'transient' | 'forbidden' | 'fatal';

export interface DirectoryFailure {
  status?: number;
  code?: string;
  message: string;
  /** 'auth': the token could not be had at all (a configuration problem, not Graph's). */
  source?: 'graph' | 'auth' | 'network';
}

export function classifyFailure(error: DirectoryFailure): FailureKind {
  if (error.source === 'auth') return 'fatal';
  if (error.source === 'network' || error.status === undefined) return 'transient';
  if (error.status === 403) return 'forbidden';
  if (error.status === 404 || error.code === 'Request_ResourceNotFound') return 'lag';
  if (error.status === 400 && /does not reference a valid application object|does not exist or one of its queried reference-property objects/i.test(error.message)) return 'lag';
  // A uniqueName clash during an upsert means our own app is not visible everywhere yet (Graph answers 400
  // "Another object with the same value for property uniqueName already exists."; 409 kept for older answers).
  if (error.status === 409 || (error.status === 400 && /same value for property uniqueName/i.test(error.message))) return 'lag';
  if (error.status === 429 || error.status === 401 || error.status >= 500) return 'transient';
  return 'fatal';
}

/** The Graph app roles Onboard itself needs (README › Permissions says why); `anyOf` lists equivalents. */
export const ONBOARD_GRAPH_ROLES = [
  { role: 'Application.ReadWrite.OwnedBy', anyOf: ['Application.ReadWrite.OwnedBy', 'Application.ReadWrite.All'], why: 'create the vendor app and its service principal, expose its API and add its secret' },
  { role: 'AppRoleAssignment.ReadWrite.All', anyOf: ['AppRoleAssignment.ReadWrite.All'], why: 'grant the application permissions an approved plan lists' },
  { role: 'DelegatedPermissionGrant.ReadWrite.All', anyOf: ['DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'], why: 'grant tenant-wide consent for the delegated permissions an approved plan lists' },
  { role: 'Application.Read.All', anyOf: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'], why: 'resolve permission ids from Microsoft Graph\'s service principal and verify grants' },
  { role: 'GroupMember.Read.All', anyOf: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'], why: 'check approver and helpdesk group membership' },
  { role: 'Organization.Read.All', anyOf: ['Organization.Read.All', 'Directory.Read.All'], why: 'show the tenant name on the result card' },
  // https://learn.microsoft.com/graph/api/user-get (Permissions: Application, least privileged User.Read.All); accountEnabled is returned only on $select.
  { role: 'User.Read.All', anyOf: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'], why: 'tell whether an app\'s requester has left (accountEnabled, or deleted) for the periodic review' },
] as const;

export type OnboardRole = (typeof ONBOARD_GRAPH_ROLES)[number]['role'];

/** The roles a saga for this plan cannot do without. */
export function rolesNeeded(plan: ProvisioningPlan): OnboardRole[] {
  const needed: OnboardRole[] = ['Application.ReadWrite.OwnedBy', 'Application.Read.All'];
  if (plan.permissions.some((p) => p.type === 'Application')) needed.push('AppRoleAssignment.ReadWrite.All');
  if (plan.permissions.some((p) => p.type === 'Delegated')) needed.push('DelegatedPermissionGrant.ReadWrite.All');
  return needed;
}

export function missingRoles(needed: readonly OnboardRole[], held: Iterable<string>): OnboardRole[] {
  const have = new Set(held);
  return needed.filter((role) => !ONBOARD_GRAPH_ROLES.find((r) => r.role === role)!.anyOf.some((r) => have.has(r)));
}

export const lacksRoleMessage = (roles: readonly string[]) =>
  `Onboard's identity lacks ${roles.join(' and ')}; see README › Permissions. An administrator can grant ${roles.length === 1 ? 'it' : 'them'} to Onboard's identity, then press Retry.`;

/** What exists in the tenant so far, in words, for a failure message: nothing is left unaccounted for. */
export function describeCreated(record: ProvisioningRecord | undefined, options: { retry: boolean } = { retry: true }): string {
  const s = record?.steps ?? {};
  const parts = [
    s.application && `application ${s.application.appId} (object ${s.application.id})`,
    s.servicePrincipal && `service principal ${s.servicePrincipal.id}`,
    s.password && `client secret ${s.password.keyId}`,
    s.grants && `${s.grants.appRoleAssignmentIds.length + s.grants.delegatedGrantIds.length} grants`,
  ].filter(Boolean);
  if (!parts.length) return 'Nothing was created in the directory.';
  return `Created so far: ${parts.join(', ')}.${options.retry ? ' Retry continues from there.' : ''}`;
}
