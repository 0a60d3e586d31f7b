import { createHash, createPublicKey, createVerify, randomBytes } from 'node:crypto';
import { startTestCloud, claimsOf, type Body } from './helpers';
import type { LocalCloud } from '../../src/localcloud';

const REDIRECT = 'http://127.0.0.1:3978/secrets/signin';
const verifier = () => randomBytes(32).toString('base64url');
const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');

describe('the local cloud\'s interactive sign-in (authorization code with PKCE)', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    cloud.signIn.registerRedirectUri(cloud.bot.clientId, REDIRECT);
  });
  afterAll(() => stop());

  const authorizeUrl = (params: Record<string, string>) => {
    const url = new URL(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/authorize`);
    const all = { client_id: cloud.bot.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid profile', state: 's-1', nonce: 'n-1', response_mode: 'query', ...params };
    for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
    return url;
  };

  /** Picks a person on the sign-in page, as the form does; returns where Entra sends the browser. */
  async function signInAs(upn: string, params: Record<string, string> = {}): Promise<URL> {
    const url = authorizeUrl(params);
    const response = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams([...url.searchParams.entries(), ['login_hint', upn]]).toString() });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  async function redeem(form: Record<string, string>): Promise<{ status: number; json: Body }> {
    const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: cloud.bot.clientId, client_secret: cloud.bot.clientSecret, redirect_uri: REDIRECT, ...form });
    const response = await fetch(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    return { status: response.status, json: await response.json() };
  }

  it('serves a sign-in page listing the tenant\'s people, with no password field', async () => {
    const page = await fetch(authorizeUrl({ code_challenge: challengeOf(verifier()), code_challenge_method: 'S256' }));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Sign in to Contoso (local)');
    for (const upn of ['alexw@example.com', 'meganb@example.com', 'diegos@contoso.example']) expect(html).toContain(upn);
    expect(html).not.toMatch(/type="password"/);
  });

  it('signs Alex in: a code and the state go to the redirect URI; the code redeems for a v2 ID token Entra would issue, signed with a key in the JWKS', async () => {
    const v = verifier();
    const back = await signInAs('alexw@example.com', { code_challenge: challengeOf(v), code_challenge_method: 'S256' });
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('s-1');
    const code = back.searchParams.get('code')!;
    const { status, json } = await redeem({ code, code_verifier: v });
    expect(status).toBe(200);
    const claims = claimsOf(json.id_token);
    expect(claims).toMatchObject({
      aud: cloud.bot.clientId, iss: `${cloud.authorityHost}/${cloud.tenantId}/v2.0`, tid: cloud.tenantId, ver: '2.0',
      oid: '00000000-0000-0000-0000-0000000000020', preferred_username: 'alexw@example.com', name: 'Alex Wilber', nonce: 'n-1',
    });
    expect(claims.exp - claims.iat).toBe(3600);
    const { keys } = await (await fetch(`${cloud.authorityHost}/${cloud.tenantId}/discovery/v2.0/keys`)).json() as { keys: (Record<string, string>)[] };
    const [header, payload, signature] = (json.id_token as string).split('.');
    const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;
    const key = createPublicKey({ key: keys.find((k) => k.kid === kid)!, format: 'jwk' });
    expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('refuses a redirect URI the app does not have (AADSTS50011) on its own page, never redirecting there', async () => {
    const response = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example/secrets/signin' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('AADSTS50011');
  });

  it('refuses a reused code (AADSTS54005), a wrong or missing verifier (AADSTS50148), a different redirect URI (AADSTS500112) and an expired code (AADSTS70008)', async () => {
    const v = verifier();
    const code = (await signInAs('alexw@example.com', { code_challenge: challengeOf(v), code_challenge_method: 'S256' })).searchParams.get('code')!;
    const wrong = await redeem({ code, code_verifier: verifier() });
    const missing = await redeem({ code });
    const elsewhere = await redeem({ code, code_verifier: v, redirect_uri: 'http://127.0.0.1:9999/secrets/signin' });
    expect([wrong, missing, elsewhere].map((r) => [r.status, r.json.error, r.json.error_codes[0]])).toEqual([[400, 'invalid_grant', 50148], [400, 'invalid_grant', 50148], [400, 'invalid_grant', 500112]]);
    // A failed attempt does not burn the code; the first good redemption does.
    expect((await redeem({ code, code_verifier: v })).status).toBe(200);
    const again = await redeem({ code, code_verifier: v });
    expect([again.status, again.json.error_codes[0]]).toEqual([400, 54005]);
    expect(again.json.error_description).toMatch(/^AADSTS54005: OAuth2 Authorization code was already redeemed/);

    const late = verifier();
    const stale = (await signInAs('alexw@example.com', { code_challenge: challengeOf(late), code_challenge_method: 'S256' })).searchParams.get('code')!;
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 11 * 60_000);
    try {
      const expired = await redeem({ code: stale, code_verifier: late });
      expect([expired.status, expired.json.error_codes[0]]).toEqual([400, 70008]);
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses an unknown user name on the page (AADSTS50034) and a code redeemed by another app (AADSTS70000)', async () => {
    const url = authorizeUrl({});
    const page = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams([...url.searchParams.entries(), ['login_hint', 'nobody@example.com']]).toString() });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('AADSTS50034');
    const other = cloud.addClientApp({ displayName: 'Someone else' });
    const code = (await signInAs('alexw@example.com')).searchParams.get('code')!;
    const stolen = await redeem({ code, client_id: other.clientId, client_secret: other.clientSecret });
    expect([stolen.status, stolen.json.error_codes[0]]).toEqual([400, 70000]);
  });

  it('refuses sign-in to an app whose enterprise app is disabled (AADSTS7000112), at the page and for a code issued before', async () => {
    const setEnabled = async (accountEnabled: boolean) => {
      const response = await fetch(`${cloud.url}/_localcloud/servicePrincipals/${cloud.bot.clientId}`, { method: 'PATCH', body: JSON.stringify({ accountEnabled }) });
      expect(response.status).toBe(200);
    };
    const v = verifier();
    const earlier = (await signInAs('alexw@example.com', { code_challenge: challengeOf(v), code_challenge_method: 'S256' })).searchParams.get('code')!;
    await setEnabled(false);
    try {
      // Disabling "prevents all tokens from being issued for that application" (disable-user-sign-in-portal): the
      // page refuses on its own, never sending the browser back with a code.
      const page = await fetch(authorizeUrl({}), { redirect: 'manual' });
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      expect(await page.text()).toContain('AADSTS7000112');
      const picked = await fetch(authorizeUrl({}), { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams([...authorizeUrl({}).searchParams.entries(), ['login_hint', 'alexw@example.com']]).toString() });
      expect([picked.status, picked.headers.get('location')]).toEqual([400, null]);
      const redeemed = await redeem({ code: earlier, code_verifier: v });
      expect([redeemed.status, redeemed.json.error, redeemed.json.error_codes[0]]).toEqual([400, 'unauthorized_client', 7000112]);
    } finally {
      await setEnabled(true);
    }
    // Turned back on, the same code works: a refused attempt does not burn it.
    expect((await redeem({ code: earlier, code_verifier: v })).status).toBe(200);
  });

  it('POST /_localcloud/signin/redirect-uris registers a redirect URI, as `onboard dev` does', async () => {
    const uri = 'http://127.0.0.1:4001/secrets/signin';
    const response = await fetch(`${cloud.url}/_localcloud/signin/redirect-uris`, { method: 'POST', body: JSON.stringify({ appId: cloud.bot.clientId, uri }) });
    expect(response.status).toBe(204);
    const app = cloud.state.applications.find((a) => a.appId === cloud.bot.clientId) as { web: { redirectUris: string[] } };
    expect(app.web.redirectUris).toContain(uri);
    expect(cloud.contracts.violations()).toEqual([]);
  });
});
