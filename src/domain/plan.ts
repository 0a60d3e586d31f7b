import type { Recipe, Mode } from './catalog/recipeSchema';
import { MICROSOFT_GRAPH_APP_ID, MICROSOFT_GRAPH_NAME, permissionCatalog, riskOf, worstRisk, type PermissionType, type RiskTier } from './catalog/permissions';
import type { OnboardCommand, PermissionRequest } from './commands';
import { canonicalJson, deterministicGuid, sha256Hex } from './canonicalJson';
import { checkInputs, fill, type MissingInput } from './planInputs';
import { describeCustomReading, describeReading } from './reading';

/** Placeholder for the new app's own appId, which exists only once Graph has created it. */
export const APP_ID = '{appId}';

export interface PlanSettings {
  /** No longer part of any id: generated ids come from the plan's own input, so identical input gives an identical plan and hash. */
  seed?: string;
  requestId?: string;
  secretLifetimeDays?: number;
  maxSecretLifetimeDays: number;
}

export interface PlannedPermission {
  resourceAppId: string;
  resource: string;
  name: string;
  type: PermissionType;
  id: string;
  adminConsentRequired: boolean;
  risk: RiskTier;
  adminDisplayName: string;
}

export interface ResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: 'Role' | 'Scope' }[];
}

export interface RegistrationPlan {
  vendor: string;
  vendorId: string;
  displayName: string;
  features: string[];
  /** How Onboard read the request, in one line: every card starts with it. */
  reading: string;
  /** What was read differently from how it was typed, or could not be used; the cards show each. */
  notices: string[];
  permissions: PlannedPermission[];
  /** The exact body of POST /applications. */
  application: Record<string, unknown>;
  /** PATCH once the appId is known: identifierUris and the self-referencing scope ({appId} filled in by the saga). */
  afterCreate: { identifierUris: string[]; requiredResourceAccess: ResourceAccess[] } | null;
  grants: { appRoles: { resourceAppId: string; id: string; name: string }[]; delegated: { resourceAppId: string; scopes: string[] }[] };
  secret: { issue: boolean; lifetimeDays: number };
  inputs: Record<string, string>;
  missingInputs: MissingInput[];
  followUps: string[];
  handover: string[];
  risk: RiskTier;
  planHash: string;
}

type Ref = PermissionRequest;

/** (recipe, choices, inputs, settings) → the exact registration. Pure: the same arguments give the same plan and hash. */
export function buildPlan(recipe: Recipe, command: OnboardCommand, settings: PlanSettings, reading?: string): RegistrationPlan {
  const { values, missing } = checkInputs(recipe, command.inputs);
  const refs: Ref[] = [...recipe.basePermissions];
  const modes = new Set<Mode>();
  const features: string[] = [];
  for (const choice of command.features) {
    const feature = recipe.features.find((f) => f.id === choice.id);
    const spec = feature && choice.mode ? feature.modes[choice.mode] : undefined;
    if (!feature || !spec || !choice.mode) continue;
    modes.add(choice.mode);
    refs.push(...spec.permissions, ...spec.options.filter((o) => choice.options.includes(o.id)).flatMap((o) => o.permissions));
    const chosenOptions = spec.options.filter((o) => choice.options.includes(o.id)).map((o) => `, ${o.label}`).join('');
    features.push(`${feature.name}: ${choice.mode}${chosenOptions}`);
  }
  const displayName = (command.appName ?? fill(recipe.appName, values) ?? recipe.name).slice(0, 120);
  // Scope ids only need to be unique within the app: derived from what the plan is for, never from a per-run value.
  const scopes = recipe.app.exposedScopes.map((s) => ({ ...s, id: deterministicGuid(`${recipe.id}:${displayName}:scope:${s.value}`) }));
  const graph = dedupe(refs).map(toPlanned);
  const self: PlannedPermission[] = scopes.filter((s) => s.selfGrant).map((s) => ({
    resourceAppId: APP_ID, resource: 'this app', name: s.value, type: 'Delegated', id: s.id, adminConsentRequired: s.type === 'Admin', risk: s.type === 'Admin' ? 'medium' : 'low', adminDisplayName: s.adminConsentDisplayName,
  }));
  const permissions = [...graph, ...self];
  const graphAccess: ResourceAccess[] = graph.length ? [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: graph.map((p) => ({ id: p.id, type: p.type === 'Application' ? 'Role' : 'Scope' })) }] : [];
  const selfAccess: ResourceAccess[] = self.length ? [{ resourceAppId: APP_ID, resourceAccess: self.map((p) => ({ id: p.id, type: 'Scope' })) }] : [];
  const hasApplication = permissions.some((p) => p.type === 'Application');
  const issue = recipe.secret === 'always' || (recipe.secret === 'when-application' && hasApplication);

  const application = {
    displayName,
    signInAudience: recipe.app.signInAudience,
    web: {
      redirectUris: urls(recipe, recipe.app.webRedirectUris, values),
      implicitGrantSettings: { enableAccessTokenIssuance: recipe.app.implicitGrant.accessTokens, enableIdTokenIssuance: recipe.app.implicitGrant.idTokens },
    },
    publicClient: { redirectUris: urls(recipe, recipe.app.publicClientRedirectUris, values) },
    isFallbackPublicClient: recipe.app.isFallbackPublicClient,
    api: {
      requestedAccessTokenVersion: recipe.app.requestedAccessTokenVersion,
      oauth2PermissionScopes: scopes.map((s) => ({
        id: s.id, value: s.value, type: s.type, isEnabled: true, adminConsentDisplayName: s.adminConsentDisplayName, adminConsentDescription: s.adminConsentDescription,
        userConsentDisplayName: s.userConsentDisplayName, userConsentDescription: s.userConsentDescription,
      })),
    },
    requiredResourceAccess: graphAccess,
    tags: ['onboard', `onboard:vendor:${recipe.id}`, ...(settings.requestId ? [`onboard:request:${settings.requestId}`] : [])],
    notes: `Created by Onboard for ${recipe.name}${settings.requestId ? ` (request ${settings.requestId})` : ''}, from ${recipe.source}.`,
  };
  const plan: Omit<RegistrationPlan, 'planHash'> = {
    vendor: recipe.name,
    vendorId: recipe.id,
    displayName,
    features,
    reading: reading ?? describeReading(recipe, command, values),
    notices: command.notices ?? [],
    permissions,
    application,
    afterCreate: scopes.length ? { identifierUris: [`api://${APP_ID}`], requiredResourceAccess: [...graphAccess, ...selfAccess] } : null,
    grants: grantsFor(permissions),
    secret: { issue, lifetimeDays: secretLifetime(settings) },
    inputs: values,
    missingInputs: missing,
    followUps: recipe.followUps.filter((f) => (!f.when.feature || command.features.some((c) => c.id === f.when.feature && (!f.when.mode || c.mode === f.when.mode))) && (!f.when.mode || f.when.feature || modes.has(f.when.mode))).map((f) => f.text),
    handover: recipe.handover,
    risk: worst(permissions),
  };
  return { ...plan, planHash: planHashOf(plan) };
}

/** A custom app: any Graph permissions by name and type; a secret when any is an application permission, or when asked. */
export function buildCustomPlan(appName: string, requested: PermissionRequest[], askSecret: boolean, settings: PlanSettings): RegistrationPlan {
  const recipe: Recipe = {
    id: 'custom', name: 'Custom', aliases: ['custom'], knownAppIds: [], source: 'a custom request', appName, inputs: [],
    app: { signInAudience: 'AzureADMyOrg', webRedirectUris: [], publicClientRedirectUris: [], implicitGrant: { accessTokens: false, idTokens: false }, isFallbackPublicClient: false, requestedAccessTokenVersion: null, exposedScopes: [] },
    basePermissions: requested, features: [], featureRequired: false, secret: askSecret ? 'always' : 'when-application', handover: ['Application (client) ID', 'Directory (tenant) ID', 'Client secret value (if one was issued)'],
    followUps: [], unsupported: [],
  };
  return buildPlan(recipe, { kind: 'onboard', vendor: 'custom', features: [], inputs: {}, appName }, settings, describeCustomReading(appName, requested, askSecret));
}

/** The follow-ups with the real values, once the app exists. */
export function renderFollowUps(plan: Pick<RegistrationPlan, 'followUps'>, values: { appId: string; tenantId: string; tenantName: string }): string[] {
  return plan.followUps.map((text) => text.replace(/\{appId\}/g, values.appId).replace(/\{tenantId\}/g, values.tenantId).replace(/\{tenantName\}/g, values.tenantName));
}

/**
 * What two requests for the same registration have in common: the plan without what names its own
 * request (the tags and notes carry the request id). Equal fingerprints are the same app, asked twice.
 */
export function planFingerprint(plan: RegistrationPlan): string {
  const { planHash: _hash, application, ...rest } = plan;
  const { tags: _tags, notes: _notes, ...app } = application;
  return sha256Hex(canonicalJson({ ...rest, application: app }));
}

/** SHA-256 of the canonical JSON: anything an approver sees changes it; key order never does. */
export function planHashOf(plan: Omit<RegistrationPlan, 'planHash'> | RegistrationPlan): string {
  const { planHash: _ignored, ...rest } = plan as RegistrationPlan;
  return sha256Hex(canonicalJson(rest));
}

function toPlanned(ref: Ref): PlannedPermission {
  const p = permissionCatalog.find(ref.name, ref.type)!;
  return { resourceAppId: MICROSOFT_GRAPH_APP_ID, resource: MICROSOFT_GRAPH_NAME, name: p.name, type: p.type, id: p.id, adminConsentRequired: p.adminConsentRequired, risk: riskOf(p), adminDisplayName: p.adminDisplayName };
}

function dedupe(refs: Ref[]): Ref[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(`${r.type}:${r.name}`) && seen.add(`${r.type}:${r.name}`));
}

function grantsFor(permissions: PlannedPermission[]): RegistrationPlan['grants'] {
  const delegated = new Map<string, string[]>();
  for (const p of permissions.filter((x) => x.type === 'Delegated')) delegated.set(p.resourceAppId, [...(delegated.get(p.resourceAppId) ?? []), p.name]);
  return {
    appRoles: permissions.filter((p) => p.type === 'Application').map((p) => ({ resourceAppId: p.resourceAppId, id: p.id, name: p.name })),
    delegated: [...delegated].map(([resourceAppId, scopes]) => ({ resourceAppId, scopes })),
  };
}

/**
 * A URI whose required input is still missing keeps its placeholder, so the preview shows where it
 * goes; one built on an optional input left empty is dropped. Inputs arrive normalised (host names lowercased).
 */
function urls(recipe: Recipe, templates: string[], values: Record<string, string>): string[] {
  const optional = new Set(recipe.inputs.filter((i) => !i.required).map((i) => i.name));
  return templates.flatMap((t) => {
    const filled = fill(t, values);
    if (filled !== undefined) return [filled];
    const names = [...t.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]);
    return names.some((n) => optional.has(n)) ? [] : [t];
  });
}

function secretLifetime(settings: PlanSettings): number {
  const wanted = settings.secretLifetimeDays ?? 180;
  return Math.max(1, Math.min(wanted, settings.maxSecretLifetimeDays));
}

function worst(permissions: PlannedPermission[]): RiskTier {
  return worstRisk(permissions.map((p) => p.risk));
}
