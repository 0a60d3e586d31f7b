import type { RegistrationRequest } from '../../domain/request';
import { riskColors, type PermissionLine, type PlanView } from './planView';

/** The plan's JSON contract (see `onboard plan --json`), as stored on the request. */
interface StoredPlan {
  vendor?: string;
  displayName?: string;
  features?: string[];
  permissions?: { name: string; type: 'Application' | 'Delegated'; adminConsentRequired: boolean; risk: PermissionLine['risk']; adminDisplayName?: string }[];
  application?: { web?: { redirectUris?: string[] }; isFallbackPublicClient?: boolean; publicClient?: { redirectUris?: string[] }; api?: { requestedAccessTokenVersion?: number; oauth2PermissionScopes?: { value: string }[] }; signInAudience?: string };
  secret?: { issue: boolean; lifetimeDays: number };
  followUps?: string[];
}

/** Builds the cards' plan view from the plan stored on a request. */
export function storedPlanView(request: RegistrationRequest): PlanView {
  const plan = (request.plan ?? {}) as StoredPlan;
  const app = plan.application ?? {};
  const permissions: PermissionLine[] = (plan.permissions ?? []).map((p) => ({
    name: p.name, type: p.type, allows: p.adminDisplayName ?? '', adminConsent: p.adminConsentRequired ? 'Yes' : 'No', risk: p.risk, riskColor: riskColors[p.risk],
  }));
  const scopes = app.api?.oauth2PermissionScopes?.map((s) => s.value) ?? [];
  const shape = [
    { title: 'Sign-in audience', value: app.signInAudience === 'AzureADMyOrg' ? 'This tenant only' : app.signInAudience ?? 'This tenant only' },
    ...(app.web?.redirectUris?.length ? [{ title: 'Web redirect URIs', value: app.web.redirectUris.join(', ') }] : []),
    ...(app.publicClient?.redirectUris?.length ? [{ title: 'Mobile and desktop URIs', value: app.publicClient.redirectUris.join(', ') }] : []),
    { title: 'Public client flows', value: app.isFallbackPublicClient ? 'Allowed' : 'Not allowed' },
    ...(scopes.length ? [{ title: 'Exposed API', value: `api://{appId} with ${scopes.join(', ')}` }] : []),
    ...(app.api?.requestedAccessTokenVersion ? [{ title: 'Access token version', value: String(app.api.requestedAccessTokenVersion) }] : []),
  ];
  const worst = permissions.some((p) => p.risk === 'high') ? 'high' : permissions.some((p) => p.risk === 'medium') ? 'medium' : 'low';
  return {
    vendor: plan.vendor ?? request.vendor ?? 'Custom',
    summary: [plan.vendor ?? request.vendor, ...(plan.features ?? [])].filter(Boolean).join(' · '),
    appName: plan.displayName ?? request.title,
    permissions,
    shape,
    secretText: plan.secret?.issue ? `A client secret will be issued, valid ${plan.secret.lifetimeDays} days, and handed to the requester once through a one-time link.` : 'No client secret will be issued.',
    followUps: (plan.followUps ?? []).map((text) => ({ text })),
    risk: worst,
  };
}
