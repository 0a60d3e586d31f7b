import type { Request, Response } from 'restify';
import type { HealthProbe } from '../app/ports';

/** `GET /healthz`: always 200 while the process serves; each dependency reports its own state. */
export function healthHandler(health: { version: string; profile: string; probes: HealthProbe[] }) {
  return async (_req: Request, res: Response) => {
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
    res.setHeader('Cache-Control', 'no-store');
    res.json(200, { status: 'ok', version: health.version, profile: health.profile, dependencies });
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
