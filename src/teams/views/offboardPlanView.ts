import type { OffboardPlan } from '../../domain/offboarding';
import { escapeMarkdown as md } from './markdown';
import { riskColors, type PermissionLine, type PlanView } from './planView';

/**
 * The grants a card lists one by one. An app can hold hundreds (grants added in the tenant after Onboard made it),
 * and each row costs about 1 KB of a message Teams caps near 100 KB; the rest are counted, and `check` lists them all.
 */
export const MAX_LISTED_REMOVALS = 20;

/**
 * The request card's plan section for offboarding: what approving does, step by step, in plain words. Approving
 * disables an existing app; nothing on this card may read as if it created or provisioned one.
 */
export function offboardPlanView(plan: OffboardPlan): PlanView {
  const { holds, graceDays } = plan;
  const name = md(plan.displayName);
  const permissions: PermissionLine[] = holds.permissions.slice(0, MAX_LISTED_REMOVALS).map((p) => ({
    name: `Remove ${md(p.name)}`, type: p.type, allows: md(p.adminDisplayName),
    adminConsent: p.adminConsentRequired ? 'Yes' : 'No', consent: `Removed in step 2, with its ${p.type === 'Application' ? 'admin consent' : 'consent for every user'}`, risk: p.risk, riskColor: riskColors[p.risk],
  }));
  const more = holds.permissions.length - permissions.length;
  return {
    vendor: 'Offboard',
    summary: md(`Offboard ${plan.displayName}: sign-in off at once, removed after ${graceDays} days`),
    reading: plan.proposedByReview ? 'Proposed by the periodic review: nobody confirmed that this app is still needed.' : '',
    notices: more > 0 ? [{ text: `And ${more} more grant(s) not listed here; step 2 removes every grant the app holds then. Type **check ${plan.target.appId}** for the full list.` }] : [],
    appName: name,
    permissions,
    shape: [
      { title: 'Existing app', value: md(`${plan.displayName} (Application ID ${plan.target.appId})`) },
      { title: 'Made by', value: `Onboard, request ${plan.ofRequestId}` },
      { title: 'Step 1, at once', value: `Disable sign-in of the enterprise app. Sign-ins and new tokens stop; an approver can turn it back on with **restore ${name}**.` },
      { title: `Step 2, after ${graceDays} days`, value: `Remove ${steps(holds)}, then delete the app registration. Entra keeps it in deleted items for 30 days, where it can be restored.` },
    ],
    secretText: 'Approving **disables** this app and later removes it; it creates nothing and issues no secret.',
    followUps: [],
    risk: plan.risk,
    headings: { title: `Offboard ${name}`, subject: `offboarding ${name}`, permissions: 'Grants step 2 removes', shape: 'What happens', result: 'Offboarding', approve: 'Approve: disable the app' },
  };
}

function steps(holds: OffboardPlan['holds']): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${count(holds.permissions.length, 'permission grant', 'permission grants')}, ${count(holds.passwords, 'client secret', 'client secrets')} and ${count(holds.certificates, 'certificate', 'certificates')}`;
}
