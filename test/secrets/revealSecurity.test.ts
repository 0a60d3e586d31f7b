import { randomBytes } from 'node:crypto';
import { hashLinkToken } from '../../src/app/secrets/linkToken';
import { TableLinkStore } from '../../src/adapters/tables/tableLinkStore';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { HandoverStack } from './handoverStack';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secureHeaders = (page: { headers: Headers }) => ({
  cache: page.headers.get('cache-control'),
  referrer: page.headers.get('referrer-policy'),
  frame: page.headers.get('x-frame-options'),
  csp: page.headers.get('content-security-policy'),
});

function expectStrictHeaders(page: { headers: Headers; body: string }) {
  const h = secureHeaders(page);
  expect(h.cache).toContain('no-store');
  expect(h.referrer).toBe('no-referrer');
  expect(h.frame).toBe('DENY');
  expect(h.csp).toContain("default-src 'none'");
  expect(h.csp).toContain("frame-ancestors 'none'");
  expect(h.csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  // No third-party asset: nothing is loaded from anywhere.
  expect(page.body).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
}

describe('the one-time link under attack', () => {
  const stack = new HandoverStack();
  let url = '';
  let appId = '';
  beforeAll(async () => {
    await stack.start({ env: { SECRET_PAGE_REQUESTS_PER_MINUTE: '10000' } });
    const request = await stack.approvedAndProvisioned('onboard miradore');
    appId = request.provisioning!.steps.application!.appId;
    url = stack.localUrl(stack.linkCards()[0].url);
  }, 90_000);
  afterAll(() => stack.stop());

  it('refuses a reveal without the page\'s anti-forgery pair, and does not use the link up', async () => {
    const form = await stack.form(url);
    const refusals = await Promise.all([
      stack.submit(url, { field: null, cookie: form.cookie }),
      stack.submit(url, { field: form.field, cookie: null }),
      stack.submit(url, { field: 'x'.repeat(form.field.length), cookie: form.cookie }),
      stack.submit(url, { field: form.field, cookie: 'onboard-reveal=forged' }),
      stack.page(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: form.cookie, Origin: 'https://evil.example' }, body: `anti_forgery=${form.field}` }),
    ]);
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('Nothing was used up');
      expect(HandoverStack.secretOn(refused)).toBeUndefined();
    }
    expect((await stack.page(url)).status).toBe(200);
  });

  it('serves every page with no-store, no-referrer, DENY framing and a strict CSP', async () => {
    const wrong = `${stack.base}/secrets/${randomBytes(32).toString('base64url')}`;
    const pages = [await stack.page(url), await stack.page(wrong), await stack.page(url, { method: 'HEAD' }), await stack.page(url, { method: 'PUT' })];
    expect(pages.map((p) => p.status)).toEqual([200, 404, 200, 405]);
    for (const page of pages) expectStrictHeaders(page);
  });

  it('gives the value to exactly one of 10 simultaneous reveals', async () => {
    const form = await stack.form(url);
    const answers = await Promise.all(Array.from({ length: 10 }, () => stack.submit(url, form)));
    const shown = answers.filter((a) => HandoverStack.secretOn(a));
    expect(shown).toHaveLength(1);
    expect(answers.filter((a) => a.status === 410)).toHaveLength(9);
    expect(await stack.tokenWith(appId, HandoverStack.secretOn(shown[0])!)).toBe(true);
    expectStrictHeaders(shown[0]);
    expectStrictHeaders(answers.find((a) => a.status === 410)!);
  });

  it('answers a wrong token 404, looking it up by its SHA-256 only, so no prefix of a real token is ever compared', async () => {
    const links = new TableLinkStore(createTableClientFactory(stack.tables));
    const real = new URL(url).pathname.split('/').pop()!;
    const nearMiss = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    // A near miss shares 42 of 43 characters with the real token; its key shares nothing that helps.
    expect(await links.get(hashLinkToken(nearMiss))).toBeUndefined();
    expect(await links.get(hashLinkToken(real))).toBeDefined();
    const timings: Record<string, number[]> = { nearMiss: [], random: [] };
    for (let i = 0; i < 15; i++) {
      for (const [kind, token] of [['nearMiss', nearMiss], ['random', randomBytes(32).toString('base64url')]] as const) {
        const started = performance.now();
        const page = await stack.page(`${stack.base}/secrets/${token}`);
        timings[kind].push(performance.now() - started);
        expect(page.status).toBe(404);
        expect(page.body).toContain('No such link');
      }
    }
    // A figure, not an assertion: timing on a shared machine proves nothing either way.
    process.stdout.write(`wrong-token 404 median: near miss ${median(timings.nearMiss).toFixed(1)} ms, random ${median(timings.random).toFixed(1)} ms\n`);
  });
});

describe('guessing tokens', () => {
  const stack = new HandoverStack();
  beforeAll(() => stack.start({ env: { SECRET_PAGE_REQUESTS_PER_MINUTE: '5' } }), 60_000);
  afterAll(() => stack.stop());

  it('is rate-limited per address with a 429 page that says when to try again', async () => {
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await stack.page(`${stack.base}/secrets/${randomBytes(32).toString('base64url')}`));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([404, 404, 404, 404, 404]);
    const limited = answers.slice(5);
    for (const page of limited) {
      expect(page.status).toBe(429);
      expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(page.body).toContain('Too many requests');
      expectStrictHeaders(page);
    }
  });
});
