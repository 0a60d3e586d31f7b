import { cardSamples } from '../support/cardSamples';
import { cardText } from '../support/teamsTurns';
import { recipes } from '../../src/domain/catalog/recipes';
import { createDomainPlanner } from '../../src/app/requests/domainPlanner';
import { requestIdFor } from '../../src/app/requests/submitRequest';
import { planView } from '../../src/teams/views/storedPlanView';
import type { RegistrationPlan } from '../../src/domain/plan';

type Node = Record<string, unknown>;

function inputs(card: unknown): Node[] {
  const found: Node[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (typeof (node as Node).type === 'string' && ((node as Node).type as string).startsWith('Input.')) found.push(node as Node);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** Teams renders card text as a subset of HTML-ish markdown: anything in angle brackets is dropped as a tag. */
const ANGLE = /<[^>\s][^>]*>/;

describe('card text that survives Teams', () => {
  const samples = cardSamples();

  it('puts a label on every required input, so screen readers and the required marker have something to hang on', () => {
    for (const { name, card } of samples) {
      for (const input of inputs(card).filter((i) => i.isRequired === true || i.isRequired === 'true')) expect({ name, id: input.id, label: input.label ?? '' }).toEqual({ name, id: input.id, label: expect.stringMatching(/\S/) });
    }
  });

  it('shows the preview and the request card at full width, so long redirect URIs are not cut off', () => {
    for (const { name, card } of samples.filter((s) => /^(preview|request)\b/.test(s.name))) expect({ name, msteams: (card as Node).msteams }).toEqual({ name, msteams: { width: 'Full' } });
  });

  it('has no angle-bracket placeholder in any recipe follow-up, nor in a plan card', () => {
    for (const recipe of recipes()) for (const followUp of recipe.followUps) expect({ recipe: recipe.id, text: followUp.text }).toEqual({ recipe: recipe.id, text: expect.not.stringMatching(ANGLE) });
    const planner = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730, requestIdFor });
    for (const text of ['onboard cirrus connect mail application for contoso.cirrus.example', 'onboard cirrus insight email sync', 'onboard miradore']) {
      const outcome = planner(text, {}, {}, 'draft-1');
      if (outcome.kind !== 'plan') throw new Error(`${text}: ${outcome.kind}`);
      const view = planView(outcome.plan as RegistrationPlan);
      expect(cardText({ shape: view.shape, followUps: view.followUps })).not.toMatch(ANGLE);
    }
    for (const { name, card } of samples) expect({ name, text: cardText(card) }).toEqual({ name, text: expect.not.stringMatching(ANGLE) });
  });
});
