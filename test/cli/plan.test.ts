import { main } from '../../src/cli/main';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd() });
  return { code, out, err };
}

describe('onboard plan', () => {
  it('prints a readable table with every permission', async () => {
    const { code, out } = await run('plan', 'cirrus connect mail delegated', '--input', 'domain=Contoso.Cirrus.Example');
    expect(code).toBe(0);
    expect(out).toMatch(/permission\s+type\s+admin consent\s+risk\s+what it allows/);
    expect(out).toMatch(/Mail\.ReadWrite\.Shared\s+Delegated\s+no\s+low\s+Read and write user and shared mail/);
    expect(out).toContain('https://contoso.cirrus.example/webclient/signin-oidc');
    expect(out).toContain('Client secret: none');
  });

  it('prints the same plan hash for the same request, run after run, and says how it read it', async () => {
    const hash = (out: string) => /Plan hash: ([a-f0-9]{64})/.exec(out)?.[1];
    const first = await run('plan', 'cirrus connect calendar delegated', '--input', 'domain=contoso.cirrus.example');
    const second = await run('plan', 'cirrus connect calendar delegated', '--input', 'domain=contoso.cirrus.example');
    expect(hash(first.out)).toBeDefined();
    expect(hash(second.out)).toBe(hash(first.out));
    expect(first.out).toContain('Read as: Cirrus Connect · Outlook Calendar: application · Cirrus domain: contoso.cirrus.example');
    expect(first.out).toContain('Notice: Outlook Calendar is application-only for Cirrus Connect; "delegated" does not apply to it');
  });

  it('follows the JSON contract', async () => {
    const { code, out } = await run('plan', 'miradore', '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(out);
    expect(Object.keys(plan)).toEqual(expect.arrayContaining(['vendor', 'displayName', 'features', 'permissions', 'application', 'grants', 'secret', 'missingInputs', 'followUps', 'planHash']));
    expect(plan.permissions).toEqual([
      { resourceAppId: '00000003-0000-0000-c000-000000000000', resource: 'Microsoft Graph', name: 'User.Read.All', type: 'Application', id: 'df021288-bdef-4463-88db-98f22de89214', adminConsentRequired: true, risk: 'medium' },
      { resourceAppId: '00000003-0000-0000-c000-000000000000', resource: 'Microsoft Graph', name: 'Group.Read.All', type: 'Application', id: '5b567255-7703-4780-807c-7be8301ae99b', adminConsentRequired: true, risk: 'medium' },
    ]);
    expect(plan.secret).toEqual({ issue: true, lifetimeDays: 180 });
  });

  it('exits 0 with the missing inputs listed', async () => {
    const { code, out } = await run('plan', 'cirrus connect calendar');
    expect(code).toBe(0);
    expect(out).toContain('Missing input: Cirrus domain');
  });

  it('exits 2 with the reason for Cirrus Insight Task Sync, and what works instead', async () => {
    const { code, err } = await run('plan', 'cirrus insight task sync');
    expect(code).toBe(2);
    expect(err.trim()).toBe("Task Sync isn't supported by a service account: Graph has no application permission for Outlook Tasks. Try: onboard cirrus insight calendar sync | onboard cirrus insight email sync");
  });

  it.each(['delegated', 'application'])('exits 2 for a Tier-0 permission (%s), saying why and whom to ask', async (type) => {
    const { code, out, err } = await run('plan', `custom "HR" with RoleManagement.ReadWrite.Directory ${type}`);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`RoleManagement.ReadWrite.Directory (${type[0].toUpperCase()}${type.slice(1)}) is Tier 0`);
    expect(err).toContain('Privileged Identity Management');
  });

  it('exits 2 with suggestions for an unknown vendor', async () => {
    const { code, err } = await run('plan', 'mirrorade');
    expect(code).toBe(2);
    expect(err).toContain('onboard Miradore');
  });
});

describe('onboard vendors', () => {
  it('lists the seed vendors, also as JSON', async () => {
    expect((await run('vendors')).out).toMatch(/^Cirrus Connect: .*\nCirrus Insight: .*\nMiradore: .*\nSecurEnds: /);
    const list = JSON.parse((await run('vendors', '--json')).out);
    expect(list.map((v: { id: string }) => v.id)).toEqual(['cirrus-connect', 'cirrus-insight', 'miradore', 'securends']);
  });
});
