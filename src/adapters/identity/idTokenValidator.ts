import { createPublicKey, createVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { SignInRefusedError, type SignedInPerson } from '../../app/secrets/linkSignIn';

/**
 * Validates an Entra v2 ID token the way the identity platform documents it
 * (https://learn.microsoft.com/entra/identity-platform/id-tokens#validate-tokens): RS256 signature by a key of the
 * tenant's JWKS (found through the tenant's OpenID discovery document), issuer, audience, expiry and not-before,
 * and the nonce this sign-in sent. msal-node returns the ID token without checking its signature (it trusts the
 * TLS channel to the token endpoint), so Onboard checks it itself before trusting a single claim.
 */
const SKEW_SECONDS = 300;
const KEYS_TTL_MS = 3_600_000;

export interface IdTokenValidatorOptions {
  /** `https://login.microsoftonline.com/{tenant}` or the local cloud's equivalent. */
  authority: string;
  clientId: string;
  now?: () => number;
  fetch?: typeof fetch;
}

interface Discovery {
  issuer: string;
  jwks_uri: string;
}

export class IdTokenValidator {
  private discovery?: Promise<Discovery>;
  private keys?: { at: number; byKid: Map<string, KeyObject> };

  constructor(private readonly options: IdTokenValidatorOptions) {}

  async validate(idToken: string, nonce: string): Promise<SignedInPerson> {
    const parts = idToken.split('.');
    if (parts.length !== 3) throw new SignInRefusedError('malformed', 'the ID token is not a JWT');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new SignInRefusedError('malformed', 'the ID token is not a JWT');
    }
    // Only RS256, whatever the token says: "none" or an HMAC keyed with a public key must never pass.
    if (header.alg !== 'RS256' || typeof header.kid !== 'string') throw new SignInRefusedError('signature', `unexpected algorithm ${String(header.alg)}`);
    const { issuer } = await this.discover();
    const key = await this.key(header.kid);
    const signed = createVerify('RSA-SHA256').update(`${parts[0]}.${parts[1]}`).verify(key, Buffer.from(parts[2], 'base64url'));
    if (!signed) throw new SignInRefusedError('signature', 'the ID token\'s signature does not verify with the tenant\'s keys');
    if (claims.iss !== issuer) throw new SignInRefusedError('issuer', `issuer ${String(claims.iss)} is not ${issuer}`);
    if (claims.aud !== this.options.clientId) throw new SignInRefusedError('audience', `audience ${String(claims.aud)} is not this app`);
    const now = Math.floor((this.options.now ?? Date.now)() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < now - SKEW_SECONDS) throw new SignInRefusedError('expired', 'the ID token has expired');
    if (typeof claims.nbf === 'number' && claims.nbf > now + SKEW_SECONDS) throw new SignInRefusedError('expired', 'the ID token is not valid yet');
    if (claims.nonce !== nonce) throw new SignInRefusedError('nonce', 'the ID token\'s nonce is not this sign-in\'s');
    const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : '');
    if (!text('oid') || !text('tid')) throw new SignInRefusedError('malformed', 'the ID token has no oid or tid (is the profile scope missing?)');
    return { oid: text('oid'), tid: text('tid'), name: text('name') || text('preferred_username'), username: text('preferred_username') };
  }

  private discover(): Promise<Discovery> {
    this.discovery ??= this.json<Discovery>(`${this.options.authority.replace(/\/$/, '')}/v2.0/.well-known/openid-configuration`).catch((error) => {
      this.discovery = undefined;
      throw error;
    });
    return this.discovery;
  }

  /** The tenant's keys, cached for an hour; an unknown kid refetches once (Entra rolls its keys). */
  private async key(kid: string): Promise<KeyObject> {
    const now = Date.now();
    if (!this.keys || now - this.keys.at > KEYS_TTL_MS || !this.keys.byKid.has(kid)) {
      const { jwks_uri } = await this.discover();
      const { keys } = await this.json<{ keys: (JsonWebKey & { kid?: string; kty?: string; use?: string })[] }>(jwks_uri);
      const byKid = new Map<string, KeyObject>();
      for (const jwk of keys ?? []) if (jwk.kid && jwk.kty === 'RSA' && (!jwk.use || jwk.use === 'sig')) byKid.set(jwk.kid, createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' }));
      this.keys = { at: now, byKid };
    }
    const key = this.keys.byKid.get(kid);
    if (!key) throw new SignInRefusedError('signature', 'the ID token was signed by a key the tenant does not publish');
    return key;
  }

  private async json<T>(url: string): Promise<T> {
    const response = await (this.options.fetch ?? fetch)(url, { headers: { Accept: 'application/json' } }).catch(() => undefined);
    if (!response?.ok) throw new SignInRefusedError('unavailable', `Entra's ${url.includes('keys') ? 'keys' : 'discovery document'} did not load (${response?.status ?? 'no answer'})`);
    return (await response.json()) as T;
  }
}
