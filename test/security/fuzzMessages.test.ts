import fc from 'fast-check';
import { personalMessage } from '../support/fakeConnector';
import { apology, fuzzHarness, inParallel, post, text, user } from './fuzzInputs';

describe('fuzzing what people type (4,000 messages of the 10,000 inputs)', () => {
  const h = fuzzHarness();

  it('4,000 messages: every one answered, none with a 500 or the apology', async () => {
    const texts = fc.sample(text, { numRuns: 4_000, seed: 10 });
    const statuses: Record<number, number> = {};
    const before = h.connector.posts.length;
    await inParallel(texts, 16, async (t, i) => {
      const { status } = await post(h.url, personalMessage(h.connector.url, user(i % 50), t, `fuzz-m-${i}`));
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    expect(statuses).toEqual({ 200: texts.length });
    const replies = h.connector.posts.slice(before);
    expect(replies.length).toBeGreaterThanOrEqual(texts.length);
    expect(replies.filter((p) => apology.test(JSON.stringify(p.body)))).toEqual([]);
  }, 120_000);
});
