import type { IncomingMessage } from 'node:http';

/**
 * A token bucket per client address, in memory. Each instance counts on its own: with n instances an
 * address gets up to n times the rate, which still turns guessing a 256-bit token from hopeless into absurd.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(perMinute: number, private readonly burst = perMinute, private readonly now: () => number = Date.now, private readonly maxTracked = 10_000) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one request's worth; when none is left, says how long until there is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (!this.buckets.has(key)) this.remember(key, bucket, now);
    if (bucket.tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
    bucket.tokens -= 1;
    return { ok: true };
  }

  /** Forgets addresses whose buckets have refilled, so a scan from many addresses cannot grow memory without bound. */
  private remember(key: string, bucket: { tokens: number; at: number }, now: number): void {
    if (this.buckets.size >= this.maxTracked) {
      for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(k);
      if (this.buckets.size >= this.maxTracked) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, bucket);
  }
}

/**
 * The address a request came from. Behind App Service the socket is the front end's, and the client is the
 * last X-Forwarded-For entry (the one the front end added; earlier ones are whatever the client sent).
 * Elsewhere that header is the client's own word, so it is ignored.
 */
export function clientAddress(req: IncomingMessage, trustForwardedFor: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const last = trustForwardedFor && typeof forwarded === 'string' ? forwarded.split(',').pop()?.trim() : undefined;
  return withoutPort(last || req.socket.remoteAddress || 'unknown');
}

function withoutPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1];
  return /^[\d.]+:\d+$/.test(address) ? address.slice(0, address.lastIndexOf(':')) : address.replace(/^::ffff:/, '');
}
