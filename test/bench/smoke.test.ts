import { runAll } from '../../bench/run';

// The benchmarks must keep running as the code changes; their figures are read by people, never asserted.
describe('benchmarks in smoke mode', () => {
  it('every benchmark runs to the end and reports a figure', async () => {
    const rows = await runAll(true);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.what).not.toMatch(/failed$/);
      expect(row.figure).not.toBe('');
    }
  }, 60_000);
});
