/**
 * A tiny web app started with `node -r dist/src/adapters/telemetry/preload.js`, as App Service starts Onboard:
 * it serves one request to a one-time link path and one to /healthz, then flushes telemetry and exits.
 * Compiled to dist/ and run by test/adapters/telemetry.test.ts.
 */
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as appInsights from 'applicationinsights';

const fetchOnce = (url: string) => new Promise<void>((resolve, reject) => get(url, (res) => res.resume().on('end', resolve)).on('error', reject));

async function main(): Promise<void> {
  const server = createServer((req, res) => res.end(req.url === '/healthz' ? 'ok' : 'page'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await fetchOnce(`${base}/secrets/${process.argv[2]}`);
  await fetchOnce(`${base}/healthz`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const client = appInsights.defaultClient as typeof appInsights.defaultClient | undefined;
  if (client) await new Promise<void>((resolve) => client.flush({ callback: () => resolve() }));
  server.close();
}

void main().then(() => process.exit(0));
