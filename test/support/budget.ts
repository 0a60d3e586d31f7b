import { cpus, loadavg } from 'node:os';

/**
 * Jest timeouts here are hang detectors, never speed checks (figures come from bench/). Each is sized from the
 * work a test does, then stretched by how busy the machine was when the file started: on a 2-core machine with
 * other work beside it, the same 3,000 clicks take three or four times as long, and that must not fail a test.
 */
const stretch = Math.min(6, Math.max(1, loadavg()[0] / Math.max(1, cpus().length)));

/** A timeout for `items` pieces of work of about `perItemMs` each (on an idle machine), never under `floorMs`. */
export function budgetMs(items: number, perItemMs: number, floorMs = 60_000): number {
  return Math.round(Math.max(floorMs, items * perItemMs) * 2 * stretch);
}
