import fc from 'fast-check';
import { parseCommand, type OnboardCommand } from '../../src/domain/commands';
import { recipeById } from '../../src/domain/catalog/recipes';
import { buildCustomPlan, buildPlan, planHashOf, renderFollowUps } from '../../src/domain/plan';
import { canonicalJson } from '../../src/domain/canonicalJson';

const settings = { seed: 'REQ-HASH0001', maxSecretLifetimeDays: 730 };
const command = parseCommand('onboard cirrus connect mail application domain=contoso.cirrus.example') as OnboardCommand;
const recipe = recipeById('cirrus-connect')!;
const plan = (over: Partial<OnboardCommand> = {}, s: Partial<typeof settings & { secretLifetimeDays: number }> = {}) => buildPlan(recipe, { ...command, ...over }, { ...settings, ...s });

describe('the plan hash', () => {
  it('is the same across runs and independent of key order', () => {
    expect(plan().planHash).toBe(plan().planHash);
    expect(plan().planHash).toMatch(/^[a-f0-9]{64}$/);
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
    const shuffled = Object.fromEntries(Object.entries(plan()).reverse()) as ReturnType<typeof plan>;
    expect(planHashOf(shuffled)).toBe(plan().planHash);
  });

  it.each([
    ['a permission', () => plan({ features: [{ id: 'mail', mode: 'delegated', options: [] }] })],
    ['a redirect URI (another domain)', () => plan({ inputs: { domain: 'fabrikam.cirrus.example' } })],
    ['an input', () => plan({ inputs: { domain: 'contoso2.cirrus.example' } })],
    ['the secret lifetime', () => plan({}, { secretLifetimeDays: 90 })],
    ['the app name', () => plan({ appName: 'Cirrus (prod)' })],
  ])('changes when %s changes', (_what, changed) => {
    expect(changed().planHash).not.toBe(plan().planHash);
  });

  it('does not change from one draft of the same request to the next: scope ids come from the plan\'s input', () => {
    expect(plan({}, { seed: 'REQ-OTHER001' }).planHash).toBe(plan().planHash);
    expect(plan({ appName: 'Cirrus (prod)' }).application).not.toEqual(plan().application);
  });

  it('caps the secret lifetime at the configured maximum', () => {
    expect(plan({}, { secretLifetimeDays: 5_000 }).secret.lifetimeDays).toBe(730);
  });
});

describe('custom requests', () => {
  it('builds the named Graph permissions and issues a secret for an application permission', () => {
    const custom = buildCustomPlan('HR Portal', [{ name: 'User.Read.All', type: 'Application' }, { name: 'Mail.Send', type: 'Delegated' }], false, settings);
    expect(custom.permissions.map((p) => `${p.name}/${p.type}`)).toEqual(['User.Read.All/Application', 'Mail.Send/Delegated']);
    expect(custom.displayName).toBe('HR Portal');
    expect(custom.secret.issue).toBe(true);
  });

  it('issues a secret for delegated-only permissions only when asked', () => {
    expect(buildCustomPlan('Wiki', [{ name: 'User.Read', type: 'Delegated' }], false, settings).secret.issue).toBe(false);
    expect(buildCustomPlan('Wiki', [{ name: 'User.Read', type: 'Delegated' }], true, settings).secret.issue).toBe(true);
  });

  it('refuses an unknown permission and suggests the closest names', () => {
    expect(parseCommand('onboard custom "X" with Mail.Sendd application')).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('Did you mean Mail.Send'), suggestions: expect.arrayContaining(['Mail.Send']) });
  });
});

describe('follow-ups', () => {
  it('are rendered with the real app and tenant values', () => {
    const rendered = renderFollowUps(plan(), { appId: '11111111-2222-3333-4444-555555555555', tenantId: 'tid', tenantName: 'Contoso' });
    expect(rendered.find((f) => f.includes('New-ApplicationAccessPolicy'))).toContain('-AppId 11111111-2222-3333-4444-555555555555');
    expect(rendered.join('\n')).not.toContain('{appId}');
  });
});
