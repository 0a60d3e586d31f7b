import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distFile } from '../support/dist';
import { redactSecretLinks } from '../../src/adapters/telemetry/redactTelemetry';

/** A loopback stand-in for the Application Insights ingestion endpoint: it keeps every envelope it is sent. */
async function ingestion(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const raw = Buffer.concat(chunks);
      bodies.push(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies };
}

function runProbe(env: NodeJS.ProcessEnv, token: string): Promise<number | null> {
  const child = spawn(process.execPath, ['-r', distFile('src', 'adapters', 'telemetry', 'preload.js'), distFile('test', 'support', 'telemetryProbe.js'), token], { env, stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', resolve));
}

describe('Application Insights telemetry', () => {
  it('sends request telemetry with one-time link tokens replaced, and never the token', async () => {
    const sink = await ingestion();
    const token = randomBytes(32).toString('base64url');
    try {
      const env = { ...process.env, APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=${sink.url}` };
      expect(await runProbe(env, token)).toBe(0);
      const sent = sink.bodies.join('\n');
      expect(sent).toContain('/secrets/{token}');
      expect(sent).toContain('/healthz');
      expect(sent).not.toContain(token);
    } finally {
      sink.server.close();
    }
  }, 30_000);

  it('does nothing without a connection string (local runs and tests)', async () => {
    const sink = await ingestion();
    try {
      const env = { ...process.env, APPLICATIONINSIGHTS_CONNECTION_STRING: '' };
      expect(await runProbe(env, 'x')).toBe(0);
      expect(sink.bodies).toEqual([]);
    } finally {
      sink.server.close();
    }
  }, 30_000);

  it('is what both web apps, the bot and the worker, preload in Azure (infra/modules/webapp.bicep start commands)', () => {
    const bicep = readFileSync(join(__dirname, '..', '..', 'infra', 'modules', 'webapp.bicep'), 'utf8');
    const commands = [...bicep.matchAll(/'(node [^']*main\.js[^']*)'/g)].map((m) => m[1]);
    expect(commands).toHaveLength(2);
    for (const command of commands) {
      const preload = /-r \.\/dist\/(\S+)\.js/.exec(command)?.[1];
      expect(preload).toBe('src/adapters/telemetry/preload');
      expect(existsSync(join(__dirname, '..', '..', `${preload}.ts`))).toBe(true);
    }
  });

  it('redacts the token wherever a link appears in a string', () => {
    expect(redactSecretLinks('GET https://onboard.contoso.com/secrets/AbC-123_x?x=1 "/secrets/zz"')).toBe('GET https://onboard.contoso.com/secrets/{token}?{query} "/secrets/{token}"');
    // The sign-in's answer from Entra: the authorization code and state never reach Application Insights.
    expect(redactSecretLinks('GET /secrets/signin?code=1.AQ-secret-code&state=abc&session_state=x')).toBe('GET /secrets/{token}?{query}');
  });
});
