import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Server } from 'restify';
import { createHttpServer } from '../../src/http/server';
import { composeForTest } from '../support/onboard';

const KEY = 'k'.repeat(40);

/**
 * /healthz is public: App Service and load balancers poll it. Which roles Onboard lacks, or which store
 * is down, tells an attacker where to push; so from off the machine only ok/degraded is said, and the
 * details need the configured key. And a 5xx under /secrets/ must not print the path: it is the token.
 */
describe('/healthz details and 5xx logs', () => {
  const onboard = composeForTest({ HEALTH_DETAILS_KEY: KEY });
  let base: string;
  beforeAll(async () => {
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    onboard.server.close();
    await onboard.close();
  });

  // App Service's front end is a proxy on another machine: it adds X-Forwarded-For, as a caller from the internet arrives.
  const fromOutside = { 'X-Forwarded-For': '203.0.113.9' };

  it('answers a caller from outside with ok or degraded only', async () => {
    const response = await fetch(`${base}/healthz`, { headers: fromOutside });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('gives the details with the configured key, and not with a wrong one', async () => {
    const keyed = await (await fetch(`${base}/healthz`, { headers: { ...fromOutside, 'X-Health-Key': KEY } })).json();
    expect(keyed).toMatchObject({ status: 'ok', profile: 'local', dependencies: { storage: { state: 'ok' } } });
    const wrong = await (await fetch(`${base}/healthz`, { headers: { ...fromOutside, 'X-Health-Key': 'k'.repeat(39) + 'x' } })).json();
    expect(wrong).toEqual({ status: 'ok' });
  });

  it('gives the details on loopback, where the operator is', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'ok', dependencies: { storage: { state: 'ok' } } });
  });

  it('says degraded when a dependency is down, still without naming it to outsiders', async () => {
    const { server } = createHttpServer({
      logger: pino({ level: 'silent' }), bot: { process: async () => undefined },
      health: { version: '1', profile: 'local', probes: [{ name: 'vault', check: async () => ({ state: 'degraded', detail: 'missing Key Vault Secrets Officer' }) }] },
    });
    const url = await listen(server);
    expect(await (await fetch(`${url}/healthz`, { headers: fromOutside })).json()).toEqual({ status: 'degraded' });
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'degraded', dependencies: { vault: { state: 'degraded', detail: 'missing Key Vault Secrets Officer' } } });
    server.close();
  });

  it('logs a 5xx under /secrets/ without the token in its path', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const token = '3q2-7wJ5vTQm0rXcV2n8yPp1sD4kLb6hGfEaZuWx9oI';
    const { server } = createHttpServer({
      logger, bot: { process: async () => undefined }, health: { version: '1', profile: 'local', probes: [] },
      // A page that fails in a way its own handler did not catch.
      extraRoutes: [(s) => s.get('/secrets/:token', (_req, _res, next) => next(new Error('vault client crashed')))],
    });
    const url = await listen(server);
    expect((await fetch(`${url}/secrets/${token}`)).status).toBe(500);
    server.close();
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; path?: string });
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'request failed', path: '/secrets/[redacted]' }));
    expect(lines.join('\n')).not.toContain(token);
  });
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
