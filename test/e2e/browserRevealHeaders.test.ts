import type { IncomingMessage } from 'node:http';
import { AntiForgery } from '../../src/http/antiForgery';

/**
 * The Reveal form as Chromium really posts it (found by the browser end-to-end test): the /secrets pages send
 * `Referrer-Policy: no-referrer`, so the form's POST carries `Origin: null` with `Sec-Fetch-Site: same-origin`.
 */
describe('anti-forgery and the headers browsers send on the Reveal form', () => {
  const guard = new AntiForgery(Buffer.alloc(32, 7), false);
  const hash = 'ab'.repeat(32);
  const value = guard.value(hash);
  const post = (headers: Record<string, string>) => ({ headers: { host: '127.0.0.1:3978', cookie: `${guard.cookieName}=${value}`, ...headers } }) as unknown as IncomingMessage;

  it('accepts the real form: Origin null, but the browser says same-origin', () => {
    expect(guard.verify(post({ origin: 'null', 'sec-fetch-site': 'same-origin' }), hash, value)).toBe('ok');
  });

  it('still refuses an opaque origin the browser does not vouch for (a sandboxed frame elsewhere, or no fetch metadata)', () => {
    expect(guard.verify(post({ origin: 'null', 'sec-fetch-site': 'cross-site' }), hash, value)).toBe('cross-site');
    expect(guard.verify(post({ origin: 'null', 'sec-fetch-site': 'same-site' }), hash, value)).toBe('cross-site');
    expect(guard.verify(post({ origin: 'null' }), hash, value)).toBe('cross-site');
  });

  it('still refuses another site, and a same-origin post without the cookie', () => {
    expect(guard.verify(post({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), hash, value)).toBe('cross-site');
    const noCookie = { headers: { host: '127.0.0.1:3978', origin: 'null', 'sec-fetch-site': 'same-origin' } } as unknown as IncomingMessage;
    expect(guard.verify(noCookie, hash, value)).toBe('missing');
  });
});
