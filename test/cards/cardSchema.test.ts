import { readdirSync } from 'node:fs';
import { cardsFolder } from '../../src/teams/cards';
import { cardSamples } from '../support/cardSamples';
import { cardValidator } from '../support/cardSchema';

describe('card templates', () => {
  const validate = cardValidator();
  const samples = cardSamples();

  it.each(samples.map((s) => [s.name, s.card]))('%s expands to a valid Adaptive Card 1.5', (_name, card) => {
    expect(validate(card)).toEqual([]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
  });

  it('has a sample for every template, so none escapes the schema check', () => {
    const templates = readdirSync(cardsFolder).filter((f) => f.endsWith('.card.json')).map((f) => f.replace('.card.json', ''));
    const sampled = new Set(samples.map((s) => s.name.split(':')[0]));
    for (const template of templates) expect(sampled.has(template) || samples.some((s) => s.name.startsWith(template))).toBe(true);
  });

  it('lets through only the msteams extension Teams documents (full width), and says what is wrong otherwise', () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x' }] };
    expect(validate({ ...card, msteams: { width: 'Full' } })).toEqual([]);
    expect(validate({ ...card, msteams: { width: 'Huge' } })).toEqual(['/msteams must be { "width": "Full" }, got {"width":"Huge"}']);
  });

  it('rejects a card the schema forbids (the check is live)', () => {
    expect(validate({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x', colour: 'red' }] }).length).toBeGreaterThan(0);
  });
});
