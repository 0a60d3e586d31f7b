import type { AddressInfo } from 'node:net';
import type { Onboard } from '../../src/compose';
import { FakeConnector, messageActivity, TENANT_ID } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { cardText } from '../support/teamsTurns';

async function listen(onboard: Onboard): Promise<string> {
  await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}`;
}

describe('the bot over HTTP', () => {
  const started: Onboard[] = [];
  const connector = new FakeConnector();
  beforeAll(() => connector.start());
  afterAll(async () => {
    await connector.stop();
    for (const o of started) o.server.close();
  });

  function local(extra: Record<string, string> = {}) {
    const onboard = composeForTest(extra);
    started.push(onboard);
    return onboard;
  }

  it('answers a real message activity with the help card delivered to the connector', async () => {
    const url = await listen(local());
    const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(messageActivity(connector.url, 'help', 'm-1')) });
    expect(response.status).toBe(200);
    const [post] = await connector.received(1);
    expect(post.path).toBe('/v3/conversations/a%3Aconv-1/activities/m-1');
    expect(post.body.attachments?.[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(post.body.attachments?.[0].content).split('\n')).toContain('onboard');
  });

  it('puts security headers on every response and reports health', async () => {
    const url = await listen(local());
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const health = await response.json();
    expect(health).toMatchObject({ status: 'ok', profile: 'local', version: expect.any(String) });
    expect(health.dependencies.storage.state).toBe('ok');
    expect(health.dependencies.graph.state).toBe('unknown');
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses an unauthenticated activity with 401 in the azure profile', async () => {
    const url = await listen(
      local({
        ONBOARD_PROFILE: 'azure', HOST: '127.0.0.1', MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: TENANT_ID, PUBLIC_URL: 'https://onboard.example.net', TABLES_ENDPOINT: 'https://example.table.core.windows.net',
        KEY_VAULT_URL: 'https://example.vault.azure.net', AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
        ONBOARD_CREDENTIAL: 'clientSecret', AZURE_CLIENT_SECRET: 'not-used', APPROVERS_GROUP_ID: '11111111-2222-3333-4444-555555555556',
        SECRET_LINK_SIGNIN_CLIENT_ID: '11111111-2222-3333-4444-555555555557',
      }),
    );
    const before = connector.posts.length;
    const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(messageActivity(connector.url, 'help')) });
    expect(response.status).toBe(401);
    expect(connector.posts.length).toBe(before);
  });

  it('rejects a malformed body without running a turn', async () => {
    const url = await listen(local());
    const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{not json' });
    expect(response.status).toBe(400);
  });
});
