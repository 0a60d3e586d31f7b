import { parseCommand, type ParseResult } from '../../src/domain/commands';
import { applyChoices } from '../../src/domain/onboardCommand';
import { recipeById, recipes } from '../../src/domain/catalog/recipes';
import { buildPlan, type RegistrationPlan } from '../../src/domain/plan';
import { modeWords } from '../../src/domain/commandWords';
import { shortName } from '../../src/domain/featureModes';
import { readingRows } from './readingTable';

const settings = { maxSecretLifetimeDays: 730 };

/** What a requester ends up with: the parse, their answers applied, and the plan the card shows. */
function read(text: string, choices: Record<string, string> = {}): ParseResult | RegistrationPlan {
  let parsed = parseCommand(text);
  if (parsed.kind === 'onboard' || parsed.kind === 'needs-choice') {
    const command = parsed.kind === 'onboard' ? parsed : parsed.command;
    parsed = applyChoices(recipeById(command.vendor)!, command, choices);
  }
  return parsed.kind === 'onboard' ? buildPlan(recipeById(parsed.vendor)!, parsed, settings) : parsed;
}

const graphSet = (plan: RegistrationPlan) => plan.permissions.filter((p) => p.resource === 'Microsoft Graph').map((p) => `${p.name}/${p.type[0]}`).sort();

describe('how Onboard reads a request: exact permissions and notices, or a question, or an answer instead of a plan', () => {
  it('has at least 60 phrasings', () => {
    expect(readingRows.length).toBeGreaterThanOrEqual(60);
  });

  it.each(readingRows.map((row) => [`${row.text}${row.choices ? ` ${JSON.stringify(row.choices)}` : ''}`, row] as const))('%s', (_name, row) => {
    const result = read(row.text, row.choices);
    if ('plan' in row) {
      if (!('planHash' in result)) throw new Error(`expected a plan, got ${JSON.stringify(result)}`);
      expect(graphSet(result)).toEqual([...row.plan].sort());
      expect(result.notices).toHaveLength(row.notices.length);
      row.notices.forEach((notice, i) => expect(result.notices[i]).toMatch(notice));
      if (row.reading) expect(result.reading).toMatch(row.reading);
      expect(result.reading).toMatch(/^Read as: /);
    } else if ('asks' in row) {
      expect(result).toMatchObject({ kind: 'needs-choice', field: row.asks });
      if (row.question) expect((result as { question: string }).question).toMatch(row.question);
    } else {
      expect(['unknown', 'unsupported']).toContain((result as ParseResult).kind);
      const refusal = result as { reason: string; suggestions: string[] };
      expect(refusal.reason).toMatch(row.answer);
      if (row.suggestions) expect(refusal.suggestions).toEqual(row.suggestions);
    }
  });
});

describe('no silent changes', () => {
  const typeWords = [...Object.keys(modeWords), 'app only', 'app permissions'];
  const cases = recipes().flatMap((recipe) =>
    recipe.features.flatMap((feature) => feature.words.flatMap((word) => typeWords.map((typed) => ({ recipe, feature, word, typed, mode: modeWords[typed] ?? ('application' as const) })))),
  );

  it(`holds for every recipe feature, feature word and type word (${cases.length} requests): the plan has that type for that feature, or a notice names both`, () => {
    const silent: string[] = [];
    for (const { recipe, feature, word, typed, mode } of cases) {
      const text = `onboard ${recipe.name} ${word} ${typed}`;
      const result = read(text, { 'option:onprem-ad-sync': 'no' });
      if (!('planHash' in result)) {
        silent.push(`${text}: ${result.kind}`);
        continue;
      }
      const spec = feature.modes[mode];
      const planned = !!spec && spec.permissions.every((p) => result.permissions.some((q) => q.name === p.name && q.type === p.type));
      const told = result.notices.some((n) => n.includes(shortName(feature.name)) && n.includes(`"${mode}"`));
      if (!planned && !told) silent.push(`${text}: ${graphSet(result).join(' ')} with notices ${JSON.stringify(result.notices)}`);
    }
    expect(silent).toEqual([]);
  });
});

describe('the plan hash', () => {
  it('is the same for identical input, run after run (no per-draft randomness before approval)', () => {
    const text = 'onboard cirrus connect mail delegated domain=contoso.cirrus.example';
    const hashes = new Set([0, 1, 2].map(() => (read(text) as RegistrationPlan).planHash));
    expect(hashes.size).toBe(1);
  });
});
