import { isDriftFixPlan, type DriftFixPlan } from '../../domain/driftFix';
import { escapeMarkdown as md } from './markdown';
import type { RegistrationRequest } from '../../domain/request';
import { riskColors, type PlanView } from './planView';
import { consentLine } from './storedPlanView';

/** The request card's plan section for a drift fix: what will be granted and removed on an existing app. */
export function driftFixPlanView(plan: DriftFixPlan): PlanView {
  const line = (p: DriftFixPlan['permissions'][number], verb: string) => ({
    name: `${verb} ${p.name}`, type: p.type, allows: `${p.adminDisplayName}${p.resource !== 'Microsoft Graph' ? ` (${p.resource})` : ''}`,
    adminConsent: p.adminConsentRequired ? 'Yes' as const : 'No' as const, consent: verb === 'Remove' ? 'Removed, with its consent' : consentLine(p.type, p.adminConsentRequired), risk: p.risk, riskColor: riskColors[p.risk],
  });
  return {
    vendor: 'Drift fix',
    summary: md(`Fix drift from ${plan.source}`),
    appName: md(plan.displayName),
    permissions: [...plan.permissions.map((p) => line(p, 'Grant')), ...plan.remove.map((p) => line(p, 'Remove'))],
    shape: [{ title: 'Existing app', value: md(`${plan.displayName} (${plan.target.appId})`) }, { title: 'Reference', value: md(plan.source) }],
    secretText: 'No new client secret: only permissions change.',
    followUps: [],
    risk: plan.risk,
  };
}

/** Drift fixes get their own plan view; every other request keeps the registration plan view. */
export function withDriftFixes(registration: (request: RegistrationRequest) => PlanView): (request: RegistrationRequest) => PlanView {
  return (request) => (isDriftFixPlan(request.plan) ? driftFixPlanView(request.plan) : registration(request));
}
