/**
 * Preloaded into the soak's bot process (`node --expose-gc -r dist/bench/gcProbe.js`), never into production: on
 * SIGUSR2 it runs a full garbage collection and prints, on stderr, the heap still in use and the RSS. A heap that
 * stays level after full collections is the clean sign of no leak; RSS alone also moves with GC timing.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ heapAfterGcMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 })}\n`);
});
