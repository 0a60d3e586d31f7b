import { createHash, createHmac, randomBytes } from 'node:crypto';
import { IdTokenValidator } from '../../src/adapters/identity/idTokenValidator';
import type { LocalCloud } from '../../src/localcloud';
import { startTestCloud } from '../localcloud/helpers';

const REDIRECT = 'http://127.0.0.1:3978/secrets/signin';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The forgeries a relying party must refuse even when every claim is right: only the signature is wrong. */
describe('the link page\'s ID token check against the tenant\'s JWKS', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let real = '';
  let validator: IdTokenValidator;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    cloud.signIn.registerRedirectUri(cloud.bot.clientId, REDIRECT);
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/authorize`);
    const params = { client_id: cloud.bot.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid profile', state: 's', nonce: 'n-1', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', login_hint: 'alexw@example.com' };
    const back = await fetch(authorize, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
    const token = await fetch(`${cloud.authorityHost}/${cloud.tenantId}/oauth2/v2.0/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', client_id: cloud.bot.clientId, client_secret: cloud.bot.clientSecret, code, code_verifier: verifier, redirect_uri: REDIRECT }).toString() });
    real = ((await token.json()) as { id_token: string }).id_token;
    validator = new IdTokenValidator({ authority: `${cloud.authorityHost}/${cloud.tenantId}`, clientId: cloud.bot.clientId });
  });
  afterAll(() => stop());

  it('accepts the tenant\'s own ID token for this app and nonce', async () => {
    await expect(validator.validate(real, 'n-1')).resolves.toEqual({ oid: '00000000-0000-0000-0000-0000000000020', tid: cloud.tenantId, name: 'Alex Wilber', username: 'alexw@example.com' });
  });

  it('refuses alg "none", an HMAC keyed with the public key, a cut signature and garbage', async () => {
    const [h, p] = real.split('.');
    const kid = JSON.parse(Buffer.from(h, 'base64url').toString()).kid as string;
    const none = `${b64({ alg: 'none', typ: 'JWT', kid })}.${p}.`;
    const { keys } = (await (await fetch(`${cloud.authorityHost}/${cloud.tenantId}/discovery/v2.0/keys`)).json()) as { keys: { n: string }[] };
    const hsHeader = b64({ alg: 'HS256', typ: 'JWT', kid });
    const hs = `${hsHeader}.${p}.${createHmac('sha256', keys[0].n).update(`${hsHeader}.${p}`).digest('base64url')}`;
    for (const [what, token] of [['none', none], ['hs256', hs], ['cut', `${h}.${p}.${real.split('.')[2].slice(0, 20)}`], ['garbage', 'not.a.jwt'], ['two parts', `${h}.${p}`]] as const) {
      await expect(validator.validate(token, 'n-1').then(() => what, (e: Error) => e.name)).resolves.toBe('SignInRefusedError');
    }
  });

  it('refuses the real token with another sign-in\'s nonce, or for another app', async () => {
    await expect(validator.validate(real, 'n-2')).rejects.toMatchObject({ reason: 'nonce' });
    const other = new IdTokenValidator({ authority: `${cloud.authorityHost}/${cloud.tenantId}`, clientId: '00000000-1111-4222-8333-444444444444' });
    await expect(other.validate(real, 'n-1')).rejects.toMatchObject({ reason: 'audience' });
  });
});
