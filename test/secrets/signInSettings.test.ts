import { ConfigError, loadConfig } from '../../src/config';
import { linkPage } from '../../src/http/secretPageViews';

const azure = {
  ONBOARD_PROFILE: 'azure', MicrosoftAppId: '7c1e4b2a-5d3f-4a8e-b6c9-0e2d1f3a5b47', MicrosoftAppTenantId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  TABLES_ENDPOINT: 'https://st.table.core.windows.net', KEY_VAULT_URL: 'https://kv.vault.azure.net', AZURE_CLIENT_ID: '7c1e4b2a-5d3f-4a8e-b6c9-0e2d1f3a5b47',
  APPROVERS_GROUP_ID: '2b9e7f41-3c6d-4e8a-9f0b-5a1c2d3e4f60', PUBLIC_URL: 'https://onboard.example.net',
};
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env, '/');
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('SECRET_LINK_SIGNIN', () => {
  it('is required by default in both profiles; locally the bot\'s own app signs people in', () => {
    expect(loadConfig({ AZURE_CLIENT_ID: '7d3e9b41-2c6a-4f85-b1d7-9e0a3c5f2b68' }, '/').secretLinks.signIn).toEqual({ mode: 'required', clientId: '7d3e9b41-2c6a-4f85-b1d7-9e0a3c5f2b68' });
    expect(loadConfig({ ...azure, SECRET_LINK_SIGNIN_CLIENT_ID: '3e5f7a9b-1c2d-4e6f-8a0b-2c4d6e8f0a1b' }, '/').secretLinks.signIn).toEqual({ mode: 'required', clientId: '3e5f7a9b-1c2d-4e6f-8a0b-2c4d6e8f0a1b' });
  });

  it('cannot be off in the azure profile, and needs the sign-in app\'s client id there', () => {
    expect(problems({ ...azure, SECRET_LINK_SIGNIN: 'off' })).toEqual([expect.stringMatching(/^SECRET_LINK_SIGNIN: off is allowed only in the local profile/)]);
    expect(problems(azure)).toEqual([expect.stringMatching(/^SECRET_LINK_SIGNIN_CLIENT_ID: required in the azure profile.*register-signin-app/)]);
    expect(problems({ SECRET_LINK_SIGNIN: 'sometimes' })).toEqual([expect.stringMatching(/^SECRET_LINK_SIGNIN: must be one of required, off/)]);
  });

  it('off (local only): the page says plainly that anyone holding the link can reveal it', () => {
    const view = { appName: 'Miradore', recipientName: 'Alex Wilber', expiresAt: '2026-12-01T10:00:00Z', antiForgery: 'x' };
    expect(linkPage({ ...view, signInOff: true }).html).toContain('Sign-in before Reveal is <strong>off</strong>');
    expect(linkPage({ ...view, signedInAs: 'Alex Wilber (alexw@example.com)' }).html).not.toContain('is <strong>off</strong>');
  });
});
