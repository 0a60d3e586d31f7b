import { markdown, runAll } from '../../bench/run';

// The benchmarks must keep running as the code changes; their figures are read by people, never asserted.
describe('benchmarks in smoke mode', () => {
  it('every benchmark runs to the end, and the table has P1–P6 each with a measured figure, a target and a verdict', async () => {
    const rows = await runAll(true);
    for (const row of rows) {
      expect(row.what).not.toMatch(/failed$/);
      expect(row.figure).not.toBe('');
    }
    const table = markdown(rows).split('\n');
    expect(table[0]).toBe('| id | what | measured | target | met? |');
    for (const id of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6']) {
      const line = table.find((l) => l.startsWith(`| ${id} |`));
      expect(line).toBeDefined();
      const [, , what, measured, target, met] = line!.split(/(?<!\\)\|/).map((c) => c.trim());
      expect(what).not.toBe('');
      expect(measured).toMatch(/\d/);
      expect(target).toMatch(/\S/);
      expect(['yes', 'no']).toContain(met);
    }
  }, 120_000);
});
