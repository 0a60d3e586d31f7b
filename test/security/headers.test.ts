import type { AddressInfo } from 'node:net';
import { composeForTest } from '../support/onboard';

interface RouteInfo { method: string; path: string }

/** What every answer must carry, whatever its status, so no page can be framed, sniffed or leak its URL. */
function expectSecurityHeaders(headers: Headers, where: string) {
  const seen = {
    where,
    nosniff: headers.get('x-content-type-options'),
    frame: headers.get('x-frame-options'),
    referrer: headers.get('referrer-policy'),
    frameAncestors: headers.get('content-security-policy')?.includes("frame-ancestors 'none'"),
    opener: headers.get('cross-origin-opener-policy'),
    resource: headers.get('cross-origin-resource-policy'),
    permissions: headers.get('permissions-policy') !== null,
  };
  expect(seen).toEqual({ where, nosniff: 'nosniff', frame: 'DENY', referrer: 'no-referrer', frameAncestors: true, opener: 'same-origin', resource: 'same-origin', permissions: true });
}

describe('security headers on every route and every kind of answer', () => {
  const onboard = composeForTest();
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    onboard.server.close();
    await onboard.close();
  });

  it('every registered route, with made-up path parameters and an empty body, answers with the headers and never 5xx', async () => {
    // Read from the server itself, so a route added later is covered without editing this test.
    const routes = Object.values(onboard.server.getDebugInfo().routes as unknown as Record<string, RouteInfo>);
    expect(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual(expect.arrayContaining(['POST /api/messages', 'GET /healthz']));
    for (const route of routes) {
      const method = route.method.toUpperCase();
      const path = route.path.replace(/:[A-Za-z]+/g, 'not-a-real-value');
      const response = await fetch(`${base}${path}`, { method, ...(method === 'GET' || method === 'HEAD' ? {} : { headers: { 'Content-Type': 'application/json' }, body: '{}' }) });
      expect({ route: `${method} ${path}`, serverError: response.status >= 500 }).toEqual({ route: `${method} ${path}`, serverError: false });
      expectSecurityHeaders(response.headers, `${method} ${path} → ${response.status}`);
    }
  });

  it.each([
    ['an unknown path (404)', '/nope', { method: 'GET' }, 404],
    ['a wrong method (405)', '/api/messages', { method: 'GET' }, 405],
    ['malformed JSON (400)', '/api/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' }, 400],
    ['JSON that is not an activity (400, was a 500)', '/api/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text":"help"}' }, 400],
    ['an oversized body (413)', '/api/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(300 * 1024) }) }, 413],
    ['an unsupported content type (415)', '/api/messages', { method: 'POST', headers: { 'Content-Type': 'application/x-evil' }, body: 'x' }, 415],
    ['a path traversal attempt', '/../../etc/passwd', { method: 'GET' }, 404],
  ])('%s still carries them', async (_name, path, init, status) => {
    const response = await fetch(`${base}${path}`, init as RequestInit);
    expect(response.status).toBe(status);
    expectSecurityHeaders(response.headers, `${path} → ${response.status}`);
  });
});
