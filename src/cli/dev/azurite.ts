import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from './ports';
import { startChild, waitForLine, type Child } from './childProcess';
import { projectRoot } from '../../paths';

export interface AzuriteOptions {
  location: string;
  port?: number;
}

export interface RunningAzurite {
  tableUrl: string;
  child: Child;
  stop(): Promise<void>;
}

/** Azurite's Table service as a child process: loopback only, telemetry off, data under `location`. */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  mkdirSync(options.location, { recursive: true });
  const port = options.port ?? (await findFreePort());
  const bin = join(projectRoot, 'node_modules', 'azurite', 'dist', 'src', 'table', 'main.js');
  const child = startChild('Azurite', process.execPath, [
    bin, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--location', options.location,
    '--disableTelemetry', '--skipApiVersionCheck', '--loose', '--silent',
  ]);
  await waitForLine(child, (line) => /successfully (listening|started)/i.test(line), 30_000);
  return { tableUrl: `http://127.0.0.1:${port}`, child, stop: () => child.stop() };
}
