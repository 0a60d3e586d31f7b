import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distFile } from './dist';
import { RUNNER_ENV, type RunnerConfig } from './provisioningRunner';
import { limitConcurrency } from '../../src/app/concurrencyLimit';

export interface RunnerProcess {
  child: ChildProcess;
  events: Record<string, unknown>[];
  /** Resolves when the process has gone, with how it went. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the runner prints an event with this name. */
  event(name: string): Promise<Record<string, unknown>>;
  stderr(): string;
}

/** Starts the compiled saga runner (dist/test/support/provisioningRunner.js) as a real child process. */
export function startRunner(config: RunnerConfig): RunnerProcess {
  const child = spawn(process.execPath, [distFile('test', 'support', 'provisioningRunner.js')], {
    env: { ...process.env, [RUNNER_ENV]: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Record<string, unknown>[] = [];
  const waiters: { name: string; resolve: (e: Record<string, unknown>) => void }[] = [];
  let buffered = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        const event = JSON.parse(line) as Record<string, unknown>;
        events.push(event);
        for (const w of waiters.filter((x) => x.name === event.event)) w.resolve(event);
      } catch {
        errors += `${line}\n`;
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  // 'close', not 'exit': a killed child's last lines may still sit in the pipe when 'exit' fires.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child, events, exited,
    event: (name) => {
      const seen = events.find((e) => e.event === name);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ name, resolve }));
    },
    stderr: () => errors,
  };
}

export const runnerDir = () => mkdtempSync(join(tmpdir(), 'onboard-saga-'));

/**
 * Cases that start saga processes take one of these slots for their whole run: on a 2-core machine shared with
 * other suites, 17 cases each starting Node processes at once made every one of them late (issue #16). The
 * limit keeps each case's own work fast; its timeout is the file's budget, since waiting for a slot is not a fault.
 */
export const withProcessSlot = limitConcurrency(2, <T>(work: () => Promise<T>): Promise<T> => work()) as <T>(work: () => Promise<T>) => Promise<T>;
