/**
 * Eventual consistency, on by default: Entra replicates a new application or service principal to other replicas
 * a little later, so a read, a service principal or a grant right after the create sometimes fails with 404 or
 * "does not reference a valid application object" ("A successful write to Microsoft Entra does not guarantee that an
 * immediate read will reflect that change": https://devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/). A seeded
 * random choice keeps one run reproducible; `strong` turns it off for tests that assert one request's answer.
 */
export type ConsistencyMode = 'eventual' | 'strong';

export interface ConsistencyOptions {
  mode?: ConsistencyMode;
  /** Share of new objects that lag (default 0.2). */
  probability?: number;
  /** Longest lag (default 1,500 ms); each lagging object gets a uniform share of it. */
  maxLagMs?: number;
  seed?: number;
}

export const CONSISTENCY_RULE_ID = 'eventual-consistency';
export const CONSISTENCY_ENV = { mode: 'ONBOARD_LOCALCLOUD_CONSISTENCY', seed: 'ONBOARD_LOCALCLOUD_SEED' } as const;

/** mulberry32: a small, well-known seeded generator; quality is ample for choosing lags. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Consistency {
  mode: ConsistencyMode;
  private readonly probability: number;
  private readonly maxLagMs: number;
  private readonly random: () => number;
  private lagged = 0;
  private failures = 0;

  constructor(options: ConsistencyOptions = {}) {
    this.mode = options.mode ?? 'eventual';
    this.probability = options.probability ?? 0.2;
    this.maxLagMs = options.maxLagMs ?? 1_500;
    this.random = seededRandom(options.seed ?? 0x0b0a4d);
  }

  /** The lag for an object being created now, if it is one of the unlucky ones. */
  lagFor(): { ms: number; ruleId: string } | undefined {
    if (this.mode === 'strong' || this.random() >= this.probability) return undefined;
    this.lagged += 1;
    return { ms: Math.max(1, Math.round(this.random() * this.maxLagMs)), ruleId: CONSISTENCY_RULE_ID };
  }

  /** A request failed because an object had not replicated yet. */
  countFailure(): void {
    this.failures += 1;
  }

  counts(): { mode: ConsistencyMode; laggedObjects: number; failedRequests: number } {
    return { mode: this.mode, laggedObjects: this.lagged, failedRequests: this.failures };
  }
}

export function consistencyFromEnv(env: NodeJS.ProcessEnv): ConsistencyOptions {
  const options: ConsistencyOptions = {};
  const mode = env[CONSISTENCY_ENV.mode];
  if (mode) {
    if (mode !== 'eventual' && mode !== 'strong') throw new Error(`${CONSISTENCY_ENV.mode}="${mode}" is not valid; expected eventual or strong.`);
    options.mode = mode;
  }
  const seed = env[CONSISTENCY_ENV.seed];
  if (seed) {
    if (!/^\d+$/.test(seed)) throw new Error(`${CONSISTENCY_ENV.seed}="${seed}" is not valid; expected a whole number.`);
    options.seed = Number(seed);
  }
  return options;
}
