import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { handoverSecretName } from '../../domain/provisioning';

/** 256 bits from the system's CSPRNG, URL-safe without padding: 43 characters. */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two hex SHA-256 hashes; anything malformed is simply unequal. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}

/** A short name for a link in the audit trail and logs: part of the hash, which opens nothing. */
export const linkIdOf = (tokenHash: string) => tokenHash.slice(0, 12);

/** One vault entry per password, so a rotation's new secret never meets the old one's name. */
export function linkVaultName(requestId: string, keyId: string): string {
  return `${handoverSecretName(requestId)}-${keyId}`.replace(/[^0-9A-Za-z-]/g, '-').slice(0, 127);
}
