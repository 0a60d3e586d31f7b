import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * A stand-in for Bot Framework's token service on loopback: an RSA key, the OpenID metadata and JWKS that
 * publish it (with the Teams endorsement the Bot Framework SDK requires), and JWTs signed with it or with
 * a key nobody published.
 */
export class TokenIssuer {
  static readonly issuer = 'https://api.botframework.com';
  private readonly published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: Server;
  metadataUrl = '';
  /** How often the SDK fetched the metadata or the keys: proof that it asked us, not the real service. */
  fetched = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.fetched++;
      const base = this.metadataUrl.replace(/\/\.well-known\/.*$/, '');
      const body = req.url === '/.well-known/openid-configuration'
        ? { issuer: TokenIssuer.issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_signing_alg_values_supported: ['RS256'] }
        : req.url === '/keys' ? { keys: [{ ...this.published.publicKey.export({ format: 'jwk' }), kid: 'published', use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] } : undefined;
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.metadataUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/.well-known/openid-configuration`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** A channel token as Bot Framework issues it to a bot; `claims` overrides, `signedBy: 'unpublished'` forges it. */
  token(claims: Record<string, unknown>, signedBy: 'published' | 'unpublished' = 'published'): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: 'published' };
    const payload = { iss: TokenIssuer.issuer, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode(header)}.${encode(payload)}`;
    const key: KeyObject = (signedBy === 'published' ? this.published : this.unpublished).privateKey;
    return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
  }
}
