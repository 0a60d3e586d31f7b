/**
 * Fault injection: added latency, 429 with Retry-After, 503, and replication lag, per route pattern. Every
 * injected fault is counted, so a test can prove that its retry or wait logic was actually exercised.
 */
export interface FaultRule {
  /** Names the rule in counts(); generated when absent. */
  id?: string;
  /**
   * `"METHOD /path"` or `"/path"`, matched against the request path without its query; `*` matches any run of
   * characters. Graph paths start with `/v1.0`, Key Vault with `/secrets` or `/deletedsecrets`, the token
   * endpoint is `/{tenant}/oauth2/v2.0/token`. Example: `"POST /v1.0/servicePrincipals"`, `"/v1.0/*"`, `"*"`.
   */
  route: string;
  latencyMs?: number;
  jitterMs?: number;
  /** Answer with this status instead of serving the request. */
  status?: 429 | 503;
  /** Retry-After for status faults; default 1 second for 429, none for 503. */
  retryAfterSeconds?: number;
  /** Objects created by a matching request stay invisible to other requests for this long. */
  replicationLagMs?: number;
  /** Inject at most this many times, then let requests through. */
  times?: number;
  /** Chance, 0–1, that the rule fires on a matching request; default 1. */
  probability?: number;
}

export interface FaultTally {
  latency: number;
  throttled: number;
  unavailable: number;
  replicationLag: number;
}

export interface FaultCounts extends FaultTally {
  total: number;
  byRule: Record<string, FaultTally>;
}

interface ActiveRule {
  rule: FaultRule & { id: string };
  matcher: RegExp;
  method: string | undefined;
  fired: number;
}

const emptyTally = (): FaultTally => ({ latency: 0, throttled: 0, unavailable: 0, replicationLag: 0 });

export function validateFaultRule(input: unknown): FaultRule {
  const r = input as FaultRule;
  const problems: string[] = [];
  if (!r || typeof r !== 'object') throw new Error('A fault rule must be an object with at least "route".');
  if (typeof r.route !== 'string' || r.route.trim() === '') problems.push('"route" must be a non-empty string such as "POST /v1.0/applications" or "*"');
  for (const key of ['latencyMs', 'jitterMs', 'retryAfterSeconds', 'replicationLagMs', 'times'] as const) {
    if (r[key] !== undefined && (typeof r[key] !== 'number' || !Number.isFinite(r[key]) || (r[key] as number) < 0)) problems.push(`"${key}" must be a number ≥ 0`);
  }
  if (r.status !== undefined && r.status !== 429 && r.status !== 503) problems.push('"status" must be 429 or 503');
  if (r.probability !== undefined && (typeof r.probability !== 'number' || r.probability < 0 || r.probability > 1)) problems.push('"probability" must be between 0 and 1');
  if (r.latencyMs === undefined && r.jitterMs === undefined && r.status === undefined && r.replicationLagMs === undefined) problems.push('give at least one of latencyMs, jitterMs, status, replicationLagMs');
  const known = new Set(['id', 'route', 'latencyMs', 'jitterMs', 'status', 'retryAfterSeconds', 'replicationLagMs', 'times', 'probability']);
  for (const key of Object.keys(r)) if (!known.has(key)) problems.push(`unknown property "${key}"`);
  if (problems.length > 0) throw new Error(`Invalid fault rule ${JSON.stringify(input)}: ${problems.join('; ')}.`);
  return r;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private tallies = new Map<string, FaultTally>();
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces the rules (counts are kept; clear() resets them). */
  set(rules: FaultRule | FaultRule[]): void {
    this.rules = [];
    this.add(rules);
  }

  add(rules: FaultRule | FaultRule[]): void {
    for (const input of Array.isArray(rules) ? rules : [rules]) {
      const rule = { ...validateFaultRule(input) };
      const id = rule.id ?? `rule-${this.nextId++}`;
      const spec = rule.route.trim();
      const space = spec.indexOf(' ');
      const method = space > 0 && /^[A-Za-z*]+$/.test(spec.slice(0, space)) ? spec.slice(0, space).toUpperCase() : undefined;
      const path = method ? spec.slice(space + 1).trim() : spec;
      const matcher = new RegExp(`^${path.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
      this.rules.push({ rule: { ...rule, id }, matcher, method: method === '*' ? undefined : method, fired: 0 });
    }
  }

  clear(): void {
    this.rules = [];
    this.tallies.clear();
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r.rule }));
  }

  counts(): FaultCounts {
    const total = emptyTally();
    const byRule: Record<string, FaultTally> = {};
    for (const [id, tally] of this.tallies) {
      byRule[id] = { ...tally };
      for (const key of Object.keys(total) as (keyof FaultTally)[]) total[key] += tally[key];
    }
    return { ...total, total: total.latency + total.throttled + total.unavailable + total.replicationLag, byRule };
  }

  count(ruleId: string, kind: keyof FaultTally): void {
    const tally = this.tallies.get(ruleId) ?? emptyTally();
    tally[kind] += 1;
    this.tallies.set(ruleId, tally);
  }

  private matching(method: string, path: string, wants: (r: FaultRule) => boolean): ActiveRule[] {
    return this.rules.filter((r) => wants(r.rule) && (!r.method || r.method === method) && r.matcher.test(path)
      && (r.rule.times === undefined || r.fired < r.rule.times) && (r.rule.probability === undefined || this.random() < r.rule.probability));
  }

  /** Waits out any latency rules, then says whether a status fault replaces the response. */
  async before(method: string, path: string): Promise<{ status: 429 | 503; retryAfterSeconds?: number; ruleId: string } | undefined> {
    for (const active of this.matching(method, path, (r) => r.latencyMs !== undefined || r.jitterMs !== undefined)) {
      const delay = (active.rule.latencyMs ?? 0) + this.random() * (active.rule.jitterMs ?? 0);
      if (active.rule.status === undefined) active.fired += 1;
      this.count(active.rule.id, 'latency');
      await new Promise((done) => setTimeout(done, delay));
    }
    const [fault] = this.matching(method, path, (r) => r.status !== undefined);
    if (!fault) return undefined;
    fault.fired += 1;
    const status = fault.rule.status as 429 | 503;
    this.count(fault.rule.id, status === 429 ? 'throttled' : 'unavailable');
    return { status, retryAfterSeconds: fault.rule.retryAfterSeconds ?? (status === 429 ? 1 : undefined), ruleId: fault.rule.id };
  }

  /** Replication lag for an object that a request on this route creates. */
  lagFor(method: string, path: string): { ms: number; ruleId: string } | undefined {
    const [lag] = this.matching(method, path, (r) => r.replicationLagMs !== undefined);
    if (!lag) return undefined;
    lag.fired += 1;
    return { ms: lag.rule.replicationLagMs as number, ruleId: lag.rule.id };
  }
}

/** Environment variables read by startLocalCloud and `onboard localcloud` (documented in docs/localcloud.md). */
export const FAULT_ENV = {
  rules: 'ONBOARD_LOCALCLOUD_FAULTS',
  latency: 'ONBOARD_LOCALCLOUD_LATENCY_MS',
  throttle: 'ONBOARD_LOCALCLOUD_THROTTLE',
  unavailable: 'ONBOARD_LOCALCLOUD_UNAVAILABLE',
  replicationLag: 'ONBOARD_LOCALCLOUD_REPLICATION_LAG_MS',
} as const;

function numbers(name: string, value: string, count: number): number[] {
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length > count || parts.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`${name}="${value}" is not valid; expected up to ${count} non-negative numbers separated by commas.`);
  return parts;
}

export function faultRulesFromEnv(env: NodeJS.ProcessEnv): FaultRule[] {
  const rules: FaultRule[] = [];
  const raw = env[FAULT_ENV.rules];
  if (raw && raw.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`${FAULT_ENV.rules} must be a JSON array of fault rules, e.g. [{"route":"POST /v1.0/applications","status":429}].`);
    }
    for (const rule of Array.isArray(parsed) ? parsed : [parsed]) rules.push(validateFaultRule(rule));
  }
  const latency = env[FAULT_ENV.latency];
  if (latency) {
    const [latencyMs, jitterMs = 0] = numbers(FAULT_ENV.latency, latency, 2);
    rules.push({ id: 'env-latency', route: '*', latencyMs, jitterMs });
  }
  const throttle = env[FAULT_ENV.throttle];
  if (throttle) {
    const [probability, retryAfterSeconds = 1] = numbers(FAULT_ENV.throttle, throttle, 2);
    rules.push(validateFaultRule({ id: 'env-throttle', route: '/v1.0/*', status: 429, probability, retryAfterSeconds }));
  }
  const unavailable = env[FAULT_ENV.unavailable];
  if (unavailable) {
    const [probability] = numbers(FAULT_ENV.unavailable, unavailable, 1);
    rules.push(validateFaultRule({ id: 'env-unavailable', route: '/v1.0/*', status: 503, probability }));
  }
  const lag = env[FAULT_ENV.replicationLag];
  if (lag) {
    const [replicationLagMs] = numbers(FAULT_ENV.replicationLag, lag, 1);
    rules.push({ id: 'env-replication-lag', route: 'POST /v1.0/*', replicationLagMs });
  }
  return rules;
}
