import { spawnSync } from 'node:child_process';
import { distFile } from '../support/dist';
import { ConfigError, loadConfig } from '../../src/config';

const runBot = (env: Record<string, string>) => spawnSync(process.execPath, [distFile('src', 'main.js')], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH, ...env } });

/** The problems loadConfig reports for `env`, one line each; empty when it starts. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const azure = {
  ONBOARD_PROFILE: 'azure', MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppTenantId: '6f1c2a9e-4b3d-4e8f-9a7c-2d5b8e1f0c34',
  TABLES_ENDPOINT: 'https://acct.table.core.windows.net', KEY_VAULT_URL: 'https://kv.vault.azure.net', AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  APPROVERS_GROUP_ID: '11111111-2222-3333-4444-555555555556', PUBLIC_URL: 'https://onboard.example.net', SECRET_LINK_SIGNIN_CLIENT_ID: '11111111-2222-3333-4444-555555555557',
};

describe('bad configuration at start-up', () => {
  it('exits 2 with one readable list naming every problem, no stack trace and no secret', () => {
    const result = runBot({
      ONBOARD_PROFILE: 'azure', PORT: 'eighty', MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppTenantId: 'contoso.onmicrosoft.com', TABLES_ENDPOINT: 'https://acct.table.core.windows.net', AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      APPROVERS_GROUP_ID: '11111111-2222-3333-4444-555555555556', ONBOARD_CREDENTIAL: 'clientSecret', AZURE_CLIENT_SECRET: 'Sup3r~Secret.Value',
      MicrosoftAppPassword: 'Sup3r~Secret.Value',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('KEY_VAULT_URL: required');
    expect(result.stderr).toMatch(/PORT: .*number/i);
    expect(result.stderr).toContain('eighty');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr + result.stdout).not.toContain('Sup3r~Secret.Value');
  });

  it('the worker lease is whole seconds between 2 and 600, default a minute', () => {
    expect(loadConfig({}).worker.leaseMs).toBe(60_000);
    expect(loadConfig({ WORKER_LEASE_SECONDS: '5' }).worker.leaseMs).toBe(5_000);
    for (const bad of ['0.5', '1', '3600']) {
      const said = problems({ WORKER_LEASE_SECONDS: bad });
      expect(said.length).toBeGreaterThan(0);
      expect(said.every((p) => p.startsWith('WORKER_LEASE_SECONDS: ') && p.includes(bad))).toBe(true);
    }
  });

  it('the local profile, which trusts whoever reaches its port, refuses to listen beyond loopback: HOST=0.0.0.0 exits 2 naming HOST', () => {
    const result = runBot({ HOST: '0.0.0.0', TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/HOST: the local profile .* loopback only .*\(got "0\.0\.0\.0"\)/);
    expect(result.stdout).not.toContain('"listening"');
  });

  it('the anonymous local profile refuses a real Graph or Key Vault, and allows them once the bot is authenticated', () => {
    const real = { GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0', KEY_VAULT_URL: 'https://kv.vault.azure.net' };
    const found = problems(real);
    expect(found).toEqual([expect.stringMatching(/^GRAPH_BASE_URL: without MicrosoftAppId/), expect.stringMatching(/^KEY_VAULT_URL: without MicrosoftAppId/)]);
    expect(problems({ GRAPH_BASE_URL: 'https://localhost:4443/v1.0', KEY_VAULT_URL: 'https://127.0.0.1:4443' })).toEqual([]);
    expect(problems({ ...real, MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'UserAssignedMSI' })).toEqual([]);
  });

  it('the azure profile requires an https PUBLIC_URL, since one-time links carry their token in the path', () => {
    expect(problems(azure)).toEqual([]);
    expect(problems({ ...azure, PUBLIC_URL: 'http://onboard.example.net' })).toEqual([expect.stringMatching(/^PUBLIC_URL: must be an https URL/)]);
    const { PUBLIC_URL: _missing, ...withoutUrl } = azure;
    expect(problems(withoutUrl)).toEqual([expect.stringMatching(/^PUBLIC_URL: required in the azure profile/)]);
  });

  it('names an unknown profile, and serves only the configured tenant (the local cloud\'s by default)', () => {
    expect(problems({ ONBOARD_PROFILE: 'prod' })).toEqual([expect.stringMatching(/^ONBOARD_PROFILE: must be one of local, azure \(got "prod"\)/)]);
    expect(loadConfig({}).teams.tenantId).toBe('6f1c2a9e-4b3d-4e8f-9a7c-2d5b8e1f0c34');
    expect(loadConfig(azure).teams.tenantId).toBe(azure.MicrosoftAppTenantId);
    expect(problems({ ...azure, MicrosoftAppTenantId: 'contoso.onmicrosoft.com' })).toEqual([expect.stringMatching(/^MicrosoftAppTenantId: must be a GUID/)]);
  });
});
