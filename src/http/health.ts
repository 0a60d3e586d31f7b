import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { HealthProbe } from '../app/ports';

export interface HealthSettings {
  version: string;
  profile: string;
  probes: HealthProbe[];
  /** Callers from off the machine who send it as `X-Health-Key` get the details too. */
  detailsKey?: string;
}

/**
 * `GET /healthz`: always 200 while the process serves. Everyone learns `ok` or `degraded`; which
 * dependency is down, or which roles Onboard lacks, is for the operator: on loopback, or with the key.
 */
export function healthHandler(health: HealthSettings) {
  return async (req: Request, res: Response) => {
    const dependencies: Record<string, { state: string; detail?: string }> = { storage: { state: 'unknown' }, graph: { state: 'unknown' }, vault: { state: 'unknown' } };
    await Promise.all(
      health.probes.map(async (probe) => {
        try {
          dependencies[probe.name] = await withTimeout(probe.check(), 3_000);
        } catch (error) {
          dependencies[probe.name] = { state: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    // 'unknown' is a dependency this profile does not configure, not a fault.
    const status = Object.values(dependencies).every((d) => d.state === 'ok' || d.state === 'unknown') ? 'ok' : 'degraded';
    res.setHeader('Cache-Control', 'no-store');
    if (!mayReadDetails(req, health.detailsKey)) return res.json(200, { status });
    res.json(200, { status, version: health.version, profile: health.profile, dependencies });
  };
}

/** A caller on this machine, not relayed by a proxy (App Service's front end adds X-Forwarded-For), or one holding the key. */
function mayReadDetails(req: Request, key: string | undefined): boolean {
  const address = req.socket?.remoteAddress ?? '';
  const loopback = /^(127\.|::1$|::ffff:127\.)/.test(address) && !req.headers['x-forwarded-for'];
  if (loopback) return true;
  const given = req.headers['x-health-key'];
  if (!key || typeof given !== 'string') return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(key));
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
