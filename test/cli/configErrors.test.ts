import { spawnSync } from 'node:child_process';
import { distFile } from '../support/dist';

describe('bad configuration at start-up', () => {
  it('exits 2 with one readable list naming every problem, no stack trace and no secret', () => {
    const result = spawnSync(process.execPath, [distFile('src', 'main.js')], {
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        PATH: process.env.PATH, ONBOARD_PROFILE: 'azure', PORT: 'eighty', MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
        MicrosoftAppTenantId: 'contoso.onmicrosoft.com', TABLES_ENDPOINT: 'https://acct.table.core.windows.net', AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
        APPROVERS_GROUP_ID: '11111111-2222-3333-4444-555555555556', ONBOARD_CREDENTIAL: 'clientSecret', AZURE_CLIENT_SECRET: 'Sup3r~Secret.Value',
        MicrosoftAppPassword: 'Sup3r~Secret.Value',
      },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('KEY_VAULT_URL: required');
    expect(result.stderr).toMatch(/PORT: .*number/i);
    expect(result.stderr).toContain('eighty');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr + result.stdout).not.toContain('Sup3r~Secret.Value');
  });
});
