/**
 * At most `limit` calls of `work` run at once; the rest wait their turn in order. Provisioning after approvals
 * goes through one, so a burst of clicks cannot crowd out the clicks themselves (or Graph's throttling budget).
 */
export function limitConcurrency<A extends unknown[], R>(limit: number, work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (...args: A) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work(...args);
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
