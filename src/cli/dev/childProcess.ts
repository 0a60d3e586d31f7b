import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/**
 * Starts a child in its own process group, so stopping it also stops anything it spawned
 * (the Playground and Azurite launchers both fork).
 */
export function startChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    signalGroup(child.pid, signal);
    const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    // The leader may exit before its own children; make sure the group is gone.
    signalGroup(child.pid, 'SIGKILL');
  };
  return { name, process: child, exited, stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Resolves with the first line on stdout (or stderr) that `match` accepts; rejects on exit or timeout. */
export function waitForLine(child: Child, match: (line: string) => boolean, timeoutMs: number, stream: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
  const source = child.process[stream];
  if (!source) return Promise.reject(new Error(`${child.name} has no ${stream}`));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: source });
    const timer = setTimeout(() => finish(new Error(`${child.name} did not become ready within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const onExit = (code: number | null) => finish(new Error(`${child.name} exited (code ${code}) before it was ready`));
    child.process.once('exit', onExit);
    function finish(error: Error | null, line?: string) {
      clearTimeout(timer);
      child.process.off('exit', onExit);
      lines.removeAllListeners('line');
      if (error) reject(error);
      else resolve(line!);
    }
    lines.on('line', (line) => {
      if (match(line)) finish(null, line);
    });
  });
}

/** Polls an HTTP URL until it answers 2xx. */
export async function waitForHttp(url: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.process.exitCode !== null) throw new Error(`${child.name} exited (code ${child.process.exitCode}) before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s`);
}
