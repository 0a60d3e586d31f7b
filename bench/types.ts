export interface BenchRow {
  id: string;
  what: string;
  figure: string;
}

export interface BenchResult {
  rows: BenchRow[];
}

export type Bench = (opts: { smoke: boolean }) => Promise<BenchResult>;
