import { registerSignInApp } from '../../src/deploy/registerSignInApp';
import type { LocalCloud } from '../../src/localcloud';
import { credentialFor, startTestCloud } from '../localcloud/helpers';

describe('npm run register-signin-app, against the local cloud', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let adminToken: string;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    // The bot's roles stand in for an admin's sign-in: it may create apps (it then owns them) and grant consent.
    adminToken = (await credentialFor(cloud).getToken('https://graph.microsoft.com/.default'))!.token;
  });
  afterAll(() => stop());

  it('registers a single-tenant app with the web redirect URI /secrets/signin and only openid profile, consented; a second run changes nothing', async () => {
    // No federated credential here: the local cloud does not emulate federatedIdentityCredentials (docs/localcloud.md).
    const options = { graphBaseUrl: cloud.graphBaseUrl, accessToken: adminToken, tenantId: cloud.tenantId, hostName: 'onboard-dev-abc123.azurewebsites.net', environment: 'dev' };
    const first = await registerSignInApp(options);
    expect(first).toMatchObject({ created: true, federated: false, redirectUri: 'https://onboard-dev-abc123.azurewebsites.net/secrets/signin' });
    const app = cloud.state.applications.find((a) => a.appId === first.clientId) as { signInAudience: string; web: { redirectUris: string[] }; passwordCredentials: unknown[]; requiredResourceAccess: { resourceAccess: { type: string }[] }[] };
    expect(app.signInAudience).toBe('AzureADMyOrg');
    expect(app.web.redirectUris).toEqual(['https://onboard-dev-abc123.azurewebsites.net/secrets/signin']);
    expect(app.passwordCredentials).toEqual([]);
    expect(app.requiredResourceAccess[0].resourceAccess.map((r) => r.type)).toEqual(['Scope', 'Scope']);
    const sp = cloud.state.servicePrincipals.find((s) => s.appId === first.clientId)!;
    expect(cloud.state.oauth2PermissionGrants.filter((g) => g.clientId === sp.id).map((g) => [g.consentType, g.scope])).toEqual([['AllPrincipals', 'openid profile']]);

    const again = await registerSignInApp(options);
    expect(again).toMatchObject({ created: false, clientId: first.clientId });
    expect(cloud.state.applications.filter((a) => String(a.displayName).startsWith('Onboard sign-in'))).toHaveLength(1);
    expect(cloud.contracts.violations()).toEqual([]);
  });

  it('refuses a BOT_DOMAIN that is a URL rather than a host name', async () => {
    await expect(registerSignInApp({ graphBaseUrl: cloud.graphBaseUrl, accessToken: adminToken, tenantId: cloud.tenantId, hostName: 'https://x.example/', environment: 'dev' })).rejects.toThrow(/must be a host name/);
  });
});
