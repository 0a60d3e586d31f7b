import { randomBytes } from 'node:crypto';
import { HandoverStack, type PageResponse } from '../secrets/handoverStack';

/** What an attacker probing the one-time link must never get: the value, a 5xx, or a used-up link. */
function expectNothingGiven(page: PageResponse, what: string) {
  expect({ what, status: page.status, secretShown: HandoverStack.secretOn(page) !== undefined, serverError: page.status >= 500 })
    .toEqual({ what, status: page.status, secretShown: false, serverError: false });
}

describe('abusing the one-time link surface (/secrets/*)', () => {
  const stack = new HandoverStack();
  let url = '';
  let token = '';
  beforeAll(async () => {
    // Rate limiting has its own test (test/secrets); here every probe must reach the handler.
    await stack.start({ env: { SECRET_PAGE_REQUESTS_PER_MINUTE: '100000' } });
    await stack.approvedAndProvisioned('onboard miradore');
    url = stack.localUrl(stack.linkCards()[0].url);
    token = new URL(url).pathname.split('/').pop()!;
  }, 90_000);
  afterAll(() => stack.stop());

  it('enumeration: 300 guessed or mangled tokens all get the same 404 page, none a 5xx, and the real link still opens', async () => {
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const guesses = [
      ...Array.from({ length: 200 }, () => randomBytes(32).toString('base64url')),
      ...Array.from({ length: 40 }, (_x, i) => flip(token, i % token.length)),
      token.slice(0, -1), `${token}A`, token.toUpperCase(), token.toLowerCase(), token.split('').reverse().join(''),
      ...Array.from({ length: 20 }, (_x, i) => token.slice(0, i + 1)),
      ...Array.from({ length: 33 }, (_x, i) => randomBytes(i + 1).toString('base64url')),
    ];
    const bodies = new Set<string>();
    for (const guess of guesses) {
      const page = await stack.page(`${stack.base}/secrets/${guess}`);
      expectNothingGiven(page, guess);
      expect({ guess, status: page.status }).toEqual({ guess, status: 404 });
      bodies.add(page.body);
    }
    // One page for every wrong token: nothing in the answer tells a near miss from a random guess.
    expect(bodies.size).toBe(1);
    expect((await stack.page(url)).status).toBe(200);
  });

  it('odd paths under /secrets: traversal, encodings, huge and empty tokens never reach a 5xx or a secret', async () => {
    const paths = ['/secrets/', '/secrets', `/secrets/${'A'.repeat(5_000)}`, '/secrets/..%2F..%2Fhealthz', '/secrets/%00', '/secrets/%F0%9F%94%91', `/secrets/${token}/..`, `/secrets/${token}%2F`, `/secrets/${encodeURIComponent('<script>alert(1)</script>')}`, "/secrets/' OR '1'='1"];
    for (const path of paths) {
      const page = await stack.page(`${stack.base}${path}`);
      expectNothingGiven(page, path);
      expect(page.body).not.toContain('<script>alert(1)</script>');
    }
    expect((await stack.page(url)).status).toBe(200);
  });

  it('wrong methods on a real link are refused with 405 and do not use it up', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const page = await stack.page(url, { method, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: method === 'OPTIONS' ? undefined : 'anti_forgery=x' });
      expectNothingGiven(page, method);
      expect({ method, status: page.status }).toEqual({ method, status: 405 });
    }
    expect((await stack.page(url)).status).toBe(200);
  });

  it('oversized and length-less bodies are refused before any check (413, 411), and do not use the link up', async () => {
    const form = await stack.form(url);
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: form.cookie, Origin: stack.base };
    const padded = (bytes: number) => `anti_forgery=${encodeURIComponent(form.field)}&pad=${'x'.repeat(bytes)}`;
    const tooLarge = [await stack.page(url, { method: 'POST', headers, body: padded(2_000) }), await stack.page(url, { method: 'POST', headers, body: padded(1_000_000) })];
    for (const page of tooLarge) {
      expectNothingGiven(page, 'oversized');
      expect(page.status).toBe(413);
    }
    // A streamed body has no Content-Length: the page cannot know its size in advance, so it refuses it.
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(`anti_forgery=${encodeURIComponent(form.field)}`)), c.close()) });
    const chunked = await stack.page(url, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);
    expectNothingGiven(chunked, 'chunked');
    expect(chunked.status).toBe(411);
    expect((await stack.page(url)).status).toBe(200);
  });

  it('a reveal without the anti-forgery field, or with an empty one, is refused; the real form then reveals once, and only once', async () => {
    const form = await stack.form(url);
    for (const tamper of [{ field: null }, { field: '' }, { field: `${form.field}x` }]) {
      const refused = await stack.submit(url, { field: tamper.field, cookie: form.cookie });
      expectNothingGiven(refused, JSON.stringify(tamper));
      expect(refused.status).toBe(403);
    }
    const revealed = await stack.reveal(url);
    const secret = HandoverStack.secretOn(revealed);
    expect(revealed.status).toBe(200);
    expect(secret).toMatch(/\S{16,}/);
    const reload = await stack.page(url);
    expect(reload.status).toBe(410);
    expectNothingGiven(reload, 'reload');
    const replay = await stack.submit(url, { field: form.field, cookie: form.cookie });
    expectNothingGiven(replay, 'replayed reveal');
    expect([403, 410]).toContain(replay.status);
    // Of every answer in this file, exactly one page ever carried the value.
    expect((await stack.occurrences(secret!)).pages).toBe(1);
  });
});
