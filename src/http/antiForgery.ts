import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Anti-forgery for the Reveal button, without sessions (docs/secrets.md › Anti-forgery).
 *
 * The value is HMAC-SHA256(server key, context ‖ token hash): one per link, the same on every instance that
 * shares the key, and impossible to compute from a copy of the links table. GET puts it twice: in a hidden
 * form field and in an HttpOnly, SameSite=Strict cookie scoped to the link's path. POST must bring both,
 * equal to the recomputed value (compared in constant time), and must not come from another site (Origin,
 * Sec-Fetch-Site). A page on another site can neither read the field nor make the browser send the cookie, so
 * it cannot burn a link in the requester's browser; a scanner that never rendered the page cannot either.
 */
export const ANTI_FORGERY_FIELD = 'anti_forgery';
const CONTEXT = 'onboard/secret-reveal/v1';

export type AntiForgeryVerdict = 'ok' | 'missing' | 'mismatch' | 'cross-site';

export class AntiForgery {
  readonly cookieName: string;

  /** `secure` (HTTPS): the cookie gets Secure and the __Secure- prefix, which browsers refuse to accept otherwise. */
  constructor(private readonly key: Buffer, private readonly secure: boolean) {
    if (key.length < 32) throw new Error('the anti-forgery key needs at least 32 bytes');
    this.cookieName = secure ? '__Secure-onboard-reveal' : 'onboard-reveal';
  }

  value(tokenHash: string): string {
    return createHmac('sha256', this.key).update(CONTEXT).update('\0').update(tokenHash).digest('base64url');
  }

  /** The cookie for one link, living as long as the link does. `token` is URL-safe base64, so it is a valid path. */
  cookie(token: string, tokenHash: string, maxAgeSeconds: number): string {
    return `${this.cookieName}=${this.value(tokenHash)}; Path=/secrets/${token}; Max-Age=${Math.max(60, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`;
  }

  verify(req: IncomingMessage, tokenHash: string, field: unknown): AntiForgeryVerdict {
    if (crossSite(req)) return 'cross-site';
    const cookie = readCookie(req.headers.cookie, this.cookieName);
    if (typeof field !== 'string' || !field || !cookie) return 'missing';
    const expected = Buffer.from(this.value(tokenHash));
    return equal(Buffer.from(field), expected) && equal(Buffer.from(cookie), expected) ? 'ok' : 'mismatch';
  }
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Browsers send Origin on every POST; a missing one is a non-browser client, which the cookie check still binds. */
function crossSite(req: IncomingMessage): boolean {
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  // Our own pages send `Referrer-Policy: no-referrer`, and under it Chromium posts the Reveal form with
  // `Origin: null`. So an opaque origin is accepted only when the browser itself says the POST is same-origin.
  if (origin === 'null') return fetchSite !== 'same-origin';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true; // "null" (a sandboxed or privacy-sensitive context) or garbage
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
