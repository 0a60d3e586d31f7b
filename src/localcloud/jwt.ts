import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, createSign, createVerify, randomBytes, type KeyObject, constants, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export type Claims = Record<string, unknown>;

/** The token-signing key, kept in the data folder so tokens stay valid across a restart. */
export class SigningKey {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  /** Base64 DER of the self-signed certificate for the key: Entra's JWKS publishes one per key in `x5c`. */
  private readonly certificateDer: string;

  private constructor(privatePem: string, certificatePem: string) {
    this.privateKey = createPrivateKey(privatePem);
    this.publicKey = createPublicKey(this.privateKey);
    const der = new X509Certificate(certificatePem).raw;
    this.certificateDer = der.toString('base64');
    // As in Entra's keys, kid and x5t are both the certificate's SHA-1 thumbprint, base64url.
    this.kid = createHash('sha1').update(der).digest('base64url');
  }

  static load(dataDir: string): SigningKey {
    const file = join(dataDir, 'token-signing-key.pem');
    const certFile = join(dataDir, 'token-signing-cert.pem');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    const privatePem = readFileSync(file, 'utf8');
    if (!existsSync(certFile)) writeFileSync(certFile, selfSigned(privatePem));
    return new SigningKey(privatePem, readFileSync(certFile, 'utf8'));
  }

  /** Like an entry of https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys: kid, x5t, n, e, x5c, issuer. */
  jwk(issuer?: string): Record<string, unknown> {
    const { n, e } = this.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    return { kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n, e, x5c: [this.certificateDer], ...(issuer ? { issuer } : {}) };
  }

  sign(claims: Claims): string {
    const header = { typ: 'JWT', alg: 'RS256', kid: this.kid, x5t: this.kid };
    const input = `${b64(header)}.${b64(claims)}`;
    const signature = createSign('RSA-SHA256').update(input).sign(this.privateKey).toString('base64url');
    return `${input}.${signature}`;
  }

  /** The claims of a token this key signed, or why it is not acceptable. */
  verify(token: string): { claims: Claims } | { problem: string } {
    const decoded = decodeJwt(token);
    if (!decoded) return { problem: 'malformed' };
    if (decoded.header.alg !== 'RS256' || !verifySignature(decoded, this.publicKey, 'RS256')) return { problem: 'signature' };
    const now = Math.floor(Date.now() / 1000);
    if (typeof decoded.claims.exp !== 'number' || decoded.claims.exp < now - 300) return { problem: 'expired' };
    if (typeof decoded.claims.nbf === 'number' && decoded.claims.nbf > now + 300) return { problem: 'not yet valid' };
    return { claims: decoded.claims };
  }
}

function selfSigned(privatePem: string): string {
  const key = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86_400_000);
  const name = [{ name: 'commonName', value: 'accounts.accesscontrol.windows.net (local cloud)' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export interface DecodedJwt {
  header: Claims;
  claims: Claims;
  signingInput: string;
  signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Claims;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object') return undefined;
    return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** RS256, and PS256 which MSAL uses for certificate assertions identified by an SHA-256 thumbprint. */
export function verifySignature(jwt: DecodedJwt, key: KeyObject, alg: string): boolean {
  try {
    const verifier = createVerify('RSA-SHA256').update(jwt.signingInput);
    if (alg === 'PS256') return verifier.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jwt.signature);
    if (alg === 'RS256') return verifier.verify(key, jwt.signature);
    return false;
  } catch {
    return false;
  }
}
