import { loadConfig } from '../../src/config';
import { BOT_GRAPH_GRANTS } from '../../src/domain/identities';
import { composeOnboard, type Onboard } from '../../src/compose';
import { silentLogger } from '../../src/logging';
import { SEED, type LocalCloud } from '../../src/localcloud';
import { projectRoot } from '../../src/paths';
import { credentialFor, startTestCloud } from '../localcloud/helpers';
import { grantGraphRoles } from '../../src/deploy/grantGraphRoles';
import { testTables } from '../support/tables';
import { deployedSettings } from './infraSettings';

/**
 * The azure profile with the app settings infra/ gives the web app, against the local cloud (Entra,
 * Graph, Key Vault) and Azurite (Table Storage). Only endpoints and the credential kind differ from
 * a deployment: a client secret stands in for the managed identity, which would probe the instance
 * metadata address outside loopback.
 */
describe('the azure profile, as infra/ configures it, against the local cloud and Azurite', () => {
  let cloud: LocalCloud;
  let stopCloud: () => Promise<void>;
  let onboard: Onboard | undefined;
  let identity: { clientId: string; clientSecret: string; servicePrincipalId: string };
  let signInApp: { clientId: string };

  beforeAll(async () => {
    ({ cloud, stop: stopCloud } = await startTestCloud());
    // A fresh identity with what infra/ gives it: Key Vault Secrets Officer from keyvault.bicep, and the
    // Graph roles from `npm run grant-bot-permissions` (signed in here as the local cloud's admin-capable app).
    // The bot's identity, as infra/ and the grant script leave it: the custom reveal role on the vault, Graph reads only.
    identity = cloud.addClientApp({ displayName: 'id-onboard-dev', vaultRole: 'Onboard Secret Handover' });
    signInApp = cloud.addClientApp({ displayName: 'Onboard sign-in' });
    const adminToken = (await credentialFor(cloud).getToken('https://graph.microsoft.com/.default'))!.token;
    await grantGraphRoles({ graphBaseUrl: cloud.graphBaseUrl, accessToken: adminToken, principalId: identity.servicePrincipalId, roles: [...BOT_GRAPH_GRANTS] });
  });
  afterAll(async () => {
    if (onboard) {
      await onboard.close();
      await new Promise<void>((resolve) => onboard!.server.close(() => resolve()));
    }
    await stopCloud();
  });

  function environment() {
    const deployed = deployedSettings({
      identityClientId: identity.clientId,
      tenantId: cloud.tenantId,
      hostName: 'onboard-dev-abc123.azurewebsites.net',
      vaultUri: cloud.vaultUrl,
      tableEndpoint: 'https://stonboarddevabc123.table.core.windows.net/',
      approversGroupId: SEED.groups.approvers,
      helpdeskGroupId: SEED.groups.helpdesk,
      // App Service resolves the Key Vault reference before the process starts; this stands for the resolved value.
      secretLinkKeyReference: 'k'.repeat(44),
      // Telemetry starts only in the preload of the web app's start command, which this in-process test does not run.
      insightsConnectionString: '',
      // What `npm run register-signin-app` registers: the link page's own app (federated with the identity in Azure).
      signInClientId: signInApp.clientId,
    });
    const endpoints = {
      AZURE_AUTHORITY_HOST: cloud.authorityHost,
      GRAPH_BASE_URL: cloud.graphBaseUrl,
      KEY_VAULT_URL: cloud.vaultUrl,
      // Azurite takes bearer tokens only over HTTPS and only from Entra's own issuers, which the local
      // cloud is not; so the run's Azurite is reached through its endpoint and well-known development key.
      TABLES_CONNECTION_STRING: testTables().connectionString!,
      HOST: '127.0.0.1',
      PORT: '0',
    };
    const credentialKind = { ONBOARD_CREDENTIAL: 'clientSecret', AZURE_CLIENT_SECRET: identity.clientSecret };
    const overrides = { ...endpoints, ...credentialKind };
    return { deployed, overrides, env: { ...deployed, ...overrides } };
  }

  it('overrides nothing but endpoints and the credential kind', () => {
    const { deployed, overrides } = environment();
    expect(Object.keys(overrides).sort()).toEqual(['AZURE_AUTHORITY_HOST', 'AZURE_CLIENT_SECRET', 'GRAPH_BASE_URL', 'HOST', 'KEY_VAULT_URL', 'ONBOARD_CREDENTIAL', 'PORT', 'TABLES_CONNECTION_STRING']);
    expect(deployed).toMatchObject({ ONBOARD_PROFILE: 'azure', MicrosoftAppType: 'UserAssignedMSI', ONBOARD_CREDENTIAL: 'managedIdentity', AZURE_CLIENT_ID: identity.clientId });
  });

  it('starts, and /healthz reports storage, Microsoft Graph and Key Vault ok with the roles infra grants', async () => {
    const config = loadConfig(environment().env, projectRoot);
    expect(config.profile).toBe('azure');
    expect(config.identity).toMatchObject({ kind: 'clientSecret', clientId: identity.clientId, tenantId: cloud.tenantId });
    expect(config.bot).toMatchObject({ appId: identity.clientId, appType: 'UserAssignedMSI' });

    // The composition root as main.ts runs it, without the sweeper timers: nothing here sends to Teams.
    onboard = composeOnboard(config, silentLogger());
    await new Promise<void>((resolve, reject) => {
      onboard!.server.once('error', reject);
      onboard!.server.listen(0, '127.0.0.1', () => resolve());
    });
    const url = `http://127.0.0.1:${onboard.server.address().port}/healthz`;

    let body: { status?: string; profile?: string; dependencies?: Record<string, { state: string }> } = {};
    // The Graph permission check runs once in the background at start; /healthz waits on the same result.
    for (let attempt = 0; attempt < 50; attempt++) {
      const response = await fetch(url);
      body = await response.json();
      if (['storage', 'graph', 'vault'].every((name) => body.dependencies?.[name]?.state === 'ok')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(body.profile).toBe('azure');
    expect(body.dependencies).toMatchObject({ storage: { state: 'ok' }, graph: { state: 'ok' }, vault: { state: 'ok' } });
  });
});
