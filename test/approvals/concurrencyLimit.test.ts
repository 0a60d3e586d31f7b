import { limitConcurrency } from '../../src/app/concurrencyLimit';

describe('provisioning after approvals, a few at a time', () => {
  it('runs at most the limit at once, starts the rest in order as others end, and finishes every one', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates = new Map<number, () => void>();
    const limited = limitConcurrency(2, async (n: number) => {
      started.push(n);
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => gates.set(n, resolve));
      running--;
      return n * 10;
    });
    const results = [1, 2, 3, 4, 5].map((n) => limited(n));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2]);
    gates.get(2)!();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2, 3]);
    for (const n of [1, 3, 4, 5]) {
      for (let i = 0; i < 10 && !gates.has(n); i++) await new Promise((r) => setImmediate(r));
      gates.get(n)!();
    }
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it('lets the next one start when one fails', async () => {
    const limited = limitConcurrency(1, async (fail: boolean) => {
      if (fail) throw new Error('Graph said no');
      return 'done';
    });
    const first = limited(true);
    const second = limited(false);
    await expect(first).rejects.toThrow('Graph said no');
    await expect(second).resolves.toBe('done');
  });
});
