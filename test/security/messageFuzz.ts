/** 4,000 of the 10,000 fuzz inputs, in four files so that each stays short: message texts over HTTP. */
import fc from 'fast-check';
import { personalMessage } from '../support/fakeConnector';
import { budgetMs } from '../support/budget';
import { apology, fuzzHarness, inParallel, post, text, user } from './fuzzInputs';

export function messageFuzzSuite(count: number, seed: number): void {
  describe(`fuzzing what people type (${count.toLocaleString('en')} messages, seed ${seed})`, () => {
    const h = fuzzHarness();

    it(`${count.toLocaleString('en')} messages: every one answered, none with a 500 or the apology`, async () => {
      const texts = fc.sample(text, { numRuns: count, seed });
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
    }, budgetMs(count, 30));
  });
}
