import type { LocalCloud } from '../../src/localcloud';
import { main } from '../../src/cli/main';
import { startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';

describe('onboard inspect', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    const tables = testTables();
    const { NODE_EXTRA_CA_CERTS: _trusted, ...bot } = cloud.botEnvironment();
    env = { ...bot, TABLES_CONNECTION_STRING: tables.connectionString!, TABLES_PREFIX: tables.prefix };
  });
  afterAll(async () => stop());

  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await main(['inspect', ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: process.cwd() });
    return { code, out, err };
  };

  it('prints the same answer as the chat card, as a table or as JSON', async () => {
    const table = await run('Payroll', 'Sync');
    expect(table.code).toBe(0);
    expect(table.out).toContain('Payroll Sync (legacy)');
    expect(table.out).toMatch(/Microsoft Graph\s+User\.Read\.All\s+Application\s+yes\s+yes\s+admin \/ medium/);
    expect(table.out).toMatch(/secret .{3}… payroll-2024: 2024-03-01 → 2025-03-01 \(expired\)/);

    const json = await run('Fabrikam Expenses', '--json');
    expect(json.code).toBe(0);
    const inspection = JSON.parse(json.out);
    expect(inspection.permissions.map((p: { name: string; granted: string }) => [p.name, p.granted])).toEqual([['Mail.Read', 'per-user'], ['offline_access', 'per-user'], ['6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', 'no']]);
  });

  it('exit 2 with the choices or the closest names when the name does not pick one app', async () => {
    const several = await run('Contoso');
    expect(several.code).toBe(2);
    expect(several.err).toContain('3 apps match "Contoso"');
    const none = await run('Payrol Sink');
    expect(none.code).toBe(2);
    expect(none.err).toContain('Did you mean: "Payroll Sync (legacy)"?');
    expect((await run()).code).toBe(2);
  });
});
