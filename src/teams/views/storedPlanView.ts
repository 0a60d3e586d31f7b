import type { RegistrationRequest } from '../../domain/request';
import { escapeMarkdown as md } from './markdown';
import { renderFollowUps, type RegistrationPlan } from '../../domain/plan';
import { riskColors, type PermissionLine, type PlanView } from './planView';
import { isOffboardPlan } from '../../domain/offboarding';
import { offboardPlanView } from './offboardPlanView';

/** The cards' plan view: what a plan asks for, in the words the Entra admin center uses. */
/**
 * Stands for the app id on cards until the app exists; the request card fills it in afterwards. Square brackets,
 * not angle brackets: Teams drops anything in angle brackets as an HTML tag, leaving `-AppId` with no value.
 */
export const APP_ID_PLACEHOLDER = '[Application ID]';

export function planView(plan: RegistrationPlan): PlanView {
  const app = plan.application as {
    web?: { redirectUris?: string[] }; isFallbackPublicClient?: boolean; publicClient?: { redirectUris?: string[] };
    api?: { requestedAccessTokenVersion?: number | null; oauth2PermissionScopes?: { value: string }[] };
  };
  const permissions: PermissionLine[] = plan.permissions.map((p) => ({
    name: p.name, type: p.type, allows: p.adminDisplayName, adminConsent: p.adminConsentRequired ? 'Yes' : 'No', consent: consentLine(p.type, p.adminConsentRequired), risk: p.risk, riskColor: riskColors[p.risk],
  }));
  const scopes = app.api?.oauth2PermissionScopes?.map((s) => s.value) ?? [];
  const shape = [
    { title: 'Accounts', value: 'This tenant only' },
    ...(app.web?.redirectUris?.length ? [{ title: 'Web redirect URIs', value: md(app.web.redirectUris.join('\n')) }] : []),
    ...(app.publicClient?.redirectUris?.length ? [{ title: 'Mobile and desktop', value: md(app.publicClient.redirectUris.join('\n')) }] : []),
    { title: 'Public client flows', value: app.isFallbackPublicClient ? 'Allowed' : 'Not allowed' },
    // Escaped like any text: unescaped, Teams' renderer takes `<Application ID>` for a tag and shows nothing.
    ...(scopes.length ? [{ title: 'Exposed API', value: md(`api://${APP_ID_PLACEHOLDER} with ${scopes.join(', ')}`) }] : []),
    ...(app.api?.requestedAccessTokenVersion ? [{ title: 'Access token version', value: String(app.api.requestedAccessTokenVersion) }] : []),
  ];
  return {
    vendor: plan.vendor,
    summary: md([plan.vendor, ...plan.features].join(' · ')),
    reading: md(plan.reading),
    notices: (plan.notices ?? []).map((text) => ({ text: md(text) })),
    appName: md(plan.displayName),
    permissions,
    shape,
    secretText: plan.secret.issue
      ? `A client secret will be issued, valid ${plan.secret.lifetimeDays} days, and handed to the requester once through a one-time link.`
      : 'No client secret: delegated permissions only.',
    // Until the app exists its ids are unknown; the result card shows the follow-ups with real values.
    followUps: renderFollowUps(plan, { appId: APP_ID_PLACEHOLDER, tenantId: '[tenant ID]', tenantName: '[tenant name]' }).map((text) => ({ text: md(text) })),
    risk: plan.risk,
  };
}

/** Onboard grants every delegated permission for all users (oauth2PermissionGrant, AllPrincipals): the card says so. */
export function consentLine(type: 'Application' | 'Delegated', adminConsentRequired: boolean): string {
  return type === 'Application' ? 'Admin consent: Yes' : `Granted for everyone in the tenant (Entra admin consent required: ${adminConsentRequired ? 'Yes' : 'No'})`;
}

/** The plan view of a stored request, by the kind of work it is (drift fixes are added in compose: withDriftFixes). */
export function storedPlanView(request: RegistrationRequest): PlanView {
  return isOffboardPlan(request.plan) ? offboardPlanView(request.plan) : planView(request.plan as RegistrationPlan);
}
