import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const newGuid = (): string => randomUUID();

/** A GUID's 16 bytes in .NET order (first three groups little-endian), which Entra uses when it packs ids into keys. */
function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return createHash('sha256').update(guid).digest().subarray(0, 16);
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

/** oauth2PermissionGrant ids are the client, resource (and principal) ids packed together, so one key can exist only once. */
export function grantId(clientId: string, resourceId: string, principalId: string | null): string {
  const parts = [guidBytes(clientId), guidBytes(resourceId)];
  if (principalId) parts.push(guidBytes(principalId));
  return Buffer.concat(parts).toString('base64url');
}

/** appRoleAssignment ids start with the principal's id bytes, followed by a random part. */
export function assignmentId(principalId: string): string {
  return Buffer.concat([guidBytes(principalId), randomBytes(16)]).toString('base64url');
}

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-';

function randomText(length: number, alphabet = SECRET_ALPHABET): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** Client secrets look like Entra's: 40 characters, a three-character hint, then `8Q~`. */
export function newClientSecret(): string {
  return randomText(3, SECRET_ALPHABET.slice(0, 62)) + '8Q~' + randomText(34);
}

export const secretHint = (secret: string): string => secret.slice(0, 3);

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64');
}

/** Key Vault secret versions are 32 lower-case hex digits. */
export const newVaultVersion = (): string => randomBytes(16).toString('hex');

export const newRequestId = (): string => randomUUID();

export const isGuid = (value: string): boolean => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value);
