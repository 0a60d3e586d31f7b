import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Cookies whose value only Onboard can read or make: AES-256-GCM under a key derived from SECRET_LINK_KEY, one
 * key per purpose, with an expiry inside. Every instance that shares SECRET_LINK_KEY can open them, so the
 * sign-in needs no session table and no sticky sessions; a copy of the tables opens nothing.
 */
export class SealedCookies {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secret: Buffer, readonly secure: boolean) {
    if (secret.length < 32) throw new Error('the cookie key needs at least 32 bytes');
  }

  /** `__Secure-` prefixed over HTTPS, which browsers accept only with Secure. */
  name(base: string): string {
    return this.secure ? `__Secure-${base}` : base;
  }

  seal(purpose: string, payload: object, ttlMs: number, now = Date.now()): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(purpose), iv);
    const body = Buffer.concat([cipher.update(JSON.stringify({ ...payload, exp: now + ttlMs }), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The payload, or undefined for anything forged, spoiled, sealed for another purpose, or expired. */
  open<T extends object>(purpose: string, value: string | undefined, now = Date.now()): T | undefined {
    if (!value || value.length > 4096) return undefined;
    try {
      const raw = Buffer.from(value, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key(purpose), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const payload = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as T & { exp?: number };
      return typeof payload.exp === 'number' && payload.exp > now ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  /** A Set-Cookie value: HttpOnly, SameSite=Lax (it must survive the top-level redirect back from Entra), Secure over HTTPS. */
  header(name: string, value: string, path: string, maxAgeSeconds: number): string {
    return `${name}=${value}; Path=${path}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`;
  }

  private key(purpose: string): Buffer {
    let key = this.keys.get(purpose);
    if (!key) this.keys.set(purpose, (key = Buffer.from(hkdfSync('sha256', this.secret, Buffer.alloc(0), `onboard/${purpose}/v1`, 32))));
    return key;
  }
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
