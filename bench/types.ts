export interface BenchRow {
  id: string;
  what: string;
  /** What was measured, with its numbers. */
  figure: string;
  /** The target, for the rows that have one (P1–P6). */
  target?: string;
  met?: boolean;
}

export interface BenchResult {
  rows: BenchRow[];
}

export type Bench = (opts: { smoke: boolean }) => Promise<BenchResult>;
