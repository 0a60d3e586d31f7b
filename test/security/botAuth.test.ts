import type { AddressInfo } from 'node:net';
import type { Onboard } from '../../src/compose';
import { loadConfig } from '../../src/config';
import { FakeConnector, messageActivity, TENANT_ID } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { TokenIssuer } from './tokenIssuer';

const botAppId = '11111111-2222-3333-4444-555555555555';

/**
 * /api/messages in the azure profile, with Bot Framework's token service replaced by a loopback issuer
 * (BotOpenIdMetadata): only a token signed by the published key, for this bot, in date, gets a turn.
 */
describe('/api/messages authentication in the azure profile', () => {
  const issuer = new TokenIssuer();
  const connector = new FakeConnector();
  let onboard: Onboard;
  let url: string;
  beforeAll(async () => {
    await issuer.start();
    await connector.start();
    onboard = composeForTest({
      ONBOARD_PROFILE: 'azure', HOST: '127.0.0.1', MicrosoftAppId: botAppId, MicrosoftAppType: 'UserAssignedMSI', BotOpenIdMetadata: issuer.metadataUrl,
      MicrosoftAppTenantId: TENANT_ID, PUBLIC_URL: 'https://onboard.example.net', TABLES_ENDPOINT: 'https://example.table.core.windows.net',
      KEY_VAULT_URL: 'https://example.vault.azure.net', AZURE_CLIENT_ID: botAppId, ONBOARD_CREDENTIAL: 'clientSecret', AZURE_CLIENT_SECRET: 'not-used',
      APPROVERS_GROUP_ID: '11111111-2222-3333-4444-555555555556', SECRET_LINK_SIGNIN_CLIENT_ID: '11111111-2222-3333-4444-555555555557',
    });
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
  });
  afterAll(async () => {
    onboard.server.close();
    await onboard.close();
    await connector.stop();
    await issuer.stop();
  });

  // A typing activity needs no reply, so a turn that runs sends nothing through the (managed-identity) connector.
  const post = (authorization: string | undefined, type = 'message') => fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
    body: JSON.stringify({ ...messageActivity(connector.url, 'help'), type }),
  });
  const valid = () => ({ aud: botAppId, serviceurl: connector.url });
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a token the issuer signed for this bot (the control for the refusals below)', async () => {
    const response = await post(`Bearer ${issuer.token(valid())}`, 'typing');
    expect(response.status).toBe(200);
    expect(issuer.fetched).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['no Authorization header', () => undefined],
    ['an empty bearer', () => 'Bearer '],
    ['a token that is not a JWT', () => 'Bearer not.a.jwt'],
    ['an expired token', () => `Bearer ${issuer.token({ ...valid(), nbf: now() - 7200, iat: now() - 7200, exp: now() - 3600 })}`],
    ['a token not valid yet', () => `Bearer ${issuer.token({ ...valid(), nbf: now() + 3600, exp: now() + 7200 })}`],
    ['a token for another bot', () => `Bearer ${issuer.token({ ...valid(), aud: '99999999-2222-3333-4444-555555555555' })}`],
    ['a token from another issuer', () => `Bearer ${issuer.token({ ...valid(), iss: 'https://evil.example' })}`],
    ['a token signed with a key the issuer never published', () => `Bearer ${issuer.token(valid(), 'unpublished')}`],
    ['a token with its signature stripped (alg none)', () => {
      const [, payload] = issuer.token(valid()).split('.');
      return `Bearer ${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    }],
    ['a token issued for another service URL', () => `Bearer ${issuer.token({ ...valid(), serviceurl: 'https://smba.evil.example/' })}`],
  ])('answers 401 to %s, and the bot sends nothing', async (_name, authorization) => {
    const before = connector.posts.length;
    const response = await post(authorization());
    expect(response.status).toBe(401);
    expect(await response.text()).not.toMatch(/at .*\.js:\d+/);
    expect(connector.posts.length).toBe(before);
  });
});

describe('BotOpenIdMetadata', () => {
  it('takes plain http only on loopback, so a misconfigured bot cannot fetch signing keys in clear text', () => {
    expect(() => loadConfig({ BotOpenIdMetadata: 'http://keys.example/.well-known/openid-configuration' })).toThrow(/BotOpenIdMetadata/);
    expect(loadConfig({ BotOpenIdMetadata: 'https://keys.example/.well-known/openid-configuration' }).bot.openIdMetadataUrl).toBe('https://keys.example/.well-known/openid-configuration');
  });
});
