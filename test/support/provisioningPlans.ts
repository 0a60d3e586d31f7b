import { recipes } from '../../src/domain/catalog/recipes';
import { buildPlan, type RegistrationPlan } from '../../src/domain/plan';
import type { FeatureChoice } from '../../src/domain/onboardCommand';

/**
 * Plans of the seed recipes, built by the domain's own buildPlan, as the approval stores them. `seed` is the
 * request id (the scope GUIDs derive from it). Inputs are mixed case on purpose: the plan lowercases URIs.
 */
const inputs: Record<string, Record<string, string>> = {
  'cirrus-connect': { domain: 'Contoso.Cirrus.Example' },
  securends: { redirectUri: 'https://securends.contoso.example/o365/callback' },
};

const settings = (seed: string) => ({ seed, requestId: seed, maxSecretLifetimeDays: 365 });

function planFor(vendorId: string, features: FeatureChoice[], seed: string, extraInputs: Record<string, string> = {}): RegistrationPlan {
  const recipe = recipes().find((r) => r.id === vendorId)!;
  return buildPlan(recipe, { kind: 'onboard', vendor: vendorId, features, inputs: { ...inputs[vendorId], ...extraInputs } }, settings(seed));
}

const f = (id: string, mode: 'application' | 'delegated', options: string[] = []): FeatureChoice => ({ id, mode, options });

/** Every seed recipe, in each shape that changes what provisioning does (modes, options, secret or none). */
export const seedRecipeCases: { name: string; build: (seed: string) => RegistrationPlan }[] = [
  ...(['application', 'delegated'] as const).flatMap((mail) => [['application'], ['delegated'], ['delegated', 'onprem-ad-sync']].map(([presence, option]) => ({
    name: `Cirrus Connect: directory, calendar, mail ${mail}, presence ${presence}${option ? ' with on-premises AD sync' : ''}`,
    build: (seed: string) => planFor('cirrus-connect', [f('ad', 'application'), f('calendar', 'application'), f('mail', mail), f('presence', presence as 'application' | 'delegated', option ? [option] : [])], seed),
  }))),
  { name: 'Cirrus Connect: delegated mail and presence only (no secret)', build: (seed) => planFor('cirrus-connect', [f('mail', 'delegated'), f('presence', 'delegated')], seed) },
  { name: 'Cirrus Insight: calendar scheduling, calendar sync and email sync', build: (seed) => planFor('cirrus-insight', [f('calendar-scheduling', 'application'), f('calendar-sync', 'application'), f('email-sync', 'application')], seed) },
  { name: 'Cirrus Insight: email sync', build: (seed) => planFor('cirrus-insight', [f('email-sync', 'application')], seed) },
  { name: 'Miradore with group filtering', build: (seed) => planFor('miradore', [f('group-filtering', 'application')], seed) },
  { name: 'Miradore without group filtering', build: (seed) => planFor('miradore', [], seed) },
  { name: 'SecurEnds with a redirect URI', build: (seed) => planFor('securends', [], seed) },
  { name: 'SecurEnds without a redirect URI', build: (seed) => planFor('securends', [], seed, { redirectUri: '' }) },
];

/** The Cirrus Connect plan with the most permissions (every function, the largest mode of each). */
export function largestCirrusConnect(seed: string): RegistrationPlan {
  const candidates = seedRecipeCases.filter((c) => c.name.startsWith('Cirrus Connect')).map((c) => c.build(seed));
  return candidates.reduce((a, b) => (b.permissions.length > a.permissions.length ? b : a));
}

export const miradorePlan = (seed: string) => planFor('miradore', [f('group-filtering', 'application')], seed);
