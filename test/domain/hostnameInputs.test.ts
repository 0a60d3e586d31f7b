import { recipeById, validateRecipe } from '../../src/domain/catalog/recipes';
import type { Recipe } from '../../src/domain/catalog/recipeSchema';
import { checkInputs } from '../../src/domain/planInputs';

const cirrus = recipeById('cirrus-connect')!;
const domain = (recipe: Recipe, value: string) => checkInputs(recipe, { domain: value });

/**
 * A host name input becomes redirect URIs, where Entra sends sign-in codes and tokens. Anything but a
 * plain public DNS name would send them somewhere the approver cannot see on the card.
 */
describe('host name inputs are DNS names and nothing else', () => {
  it('takes a plain host name, lowercased', () => {
    expect(domain(cirrus, 'Contoso.Cirrus.Example')).toEqual({ values: { domain: 'contoso.cirrus.example' }, missing: [] });
  });

  it.each([
    ['a scheme', 'https://contoso.cirrus.example', /without https:\/\//],
    ['a path', 'contoso.cirrus.example/webclient', /without .* a path/],
    ['a port', 'contoso.cirrus.example:8443', /port/],
    ['a wildcard', '*.cirrus.example', /wildcard/],
    ['an IPv4 address', '10.0.0.1', /IP address/],
    ['an IPv6 address', '[::1]', /IP address/],
    ['localhost', 'localhost', /localhost/],
    ['a name under localhost', 'evil.localhost', /localhost/],
    ['user info', 'me@contoso.cirrus.example', /not a host name/],
    ['Markdown', 'contoso.[x](y).example', /not a host name/],
  ])('refuses %s, saying what to type instead', (_what, value, reason) => {
    const { values, missing } = domain(cirrus, value);
    expect(values).toEqual({});
    expect(missing).toEqual([expect.objectContaining({ name: 'domain', problem: expect.stringMatching(reason) })]);
    expect(missing[0].problem).toContain(cirrus.inputs[0].example);
  });

  it('where the recipe declares a domain suffix, the host must end with it', () => {
    const raw = JSON.parse(JSON.stringify(cirrus)) as Recipe & { inputs: Record<string, unknown>[] };
    raw.inputs[0].domainSuffix = 'cirrus.example';
    const strict = validateRecipe('cirrusConnect.json', raw);
    expect(domain(strict, 'contoso.cirrus.example').values).toEqual({ domain: 'contoso.cirrus.example' });
    for (const outside of ['evilcirrus.example', 'cirrus.example.evil.test', 'cirrus.example']) {
      expect(domain(strict, outside).missing).toEqual([expect.objectContaining({ problem: expect.stringMatching(/must end in \.cirrus\.example/) })]);
    }
  });

  it('a recipe declaring a suffix that is not a domain does not load', () => {
    const raw = JSON.parse(JSON.stringify(cirrus)) as Recipe & { inputs: Record<string, unknown>[] };
    raw.inputs[0].domainSuffix = '*.cirrus.example';
    expect(() => validateRecipe('cirrusConnect.json', raw)).toThrow(/domainSuffix/);
  });
});
