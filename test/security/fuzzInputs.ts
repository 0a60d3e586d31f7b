import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { Onboard } from '../../src/compose';
import { actionHandlers } from '../../src/teams/actions/actionRouter';
import { FakeConnector, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';

export const apology = /something went wrong on my side/i;
export const knownVerbs = [...actionHandlers.keys()];

/** A command word, then anything: the parser's branches get hit far more often than by random text alone. */
export const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(fc.constantFrom('onboard', 'status', 'audit', 'check', 'which apps have', 'does', 'rotate', 'custom', 'help', 'vendors', '@Onboard', 'register', 'secrets'), fc.string({ unit: 'grapheme', maxLength: 200 })).map(([w, rest]) => `${w} ${rest}`),
  fc.constantFrom('', ' ', '\u0000', '<at>Onboard</at>', 'status REQ-', 'onboard cirrus connect mail delegated domain=' + 'x'.repeat(2_000), '{{$root}}', '${jndi:ldap://x}', 'status ' + 'A'.repeat(10_000)),
);

const requestIdLike = fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^REQ-[A-Z0-9]{4,16}$/));
const data = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ requestId: requestIdLike, planHash: fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[a-f0-9]{64}$/)), reason: fc.string({ maxLength: 600 }), draftId: fc.oneof(fc.string({ maxLength: 80 }), fc.uuid()), 'input.domain': fc.string({ maxLength: 400 }) }, { requiredKeys: [] }),
  fc.string({ maxLength: 9_000 }).map((blob) => ({ requestId: 'REQ-ABCD1234', blob })),
);
export const action = fc.record({ verb: fc.oneof(fc.constantFrom(...knownVerbs), fc.string({ maxLength: 80 })), data, signedIn: fc.integer({ min: 0, max: 9 }).map((n) => n > 0) });

export const user = (i: number): TeamsUser => ({ id: `29:fuzz-${i}`, aadObjectId: `00000000-0000-0000-0000-${String(100000000000 + i).slice(-12)}`, name: `Fuzz ${i}` });

/** Runs `work` over the items with `width` in flight, to overlap the bot's table I/O. */
export async function inParallel<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i], i);
  }));
}

/** The bot composed as production does, listening on loopback, with a fake connector for its replies. */
export function fuzzHarness() {
  const connector = new FakeConnector();
  const h = { connector, onboard: undefined as unknown as ReturnType<typeof composeForTest>, url: '' };
  beforeAll(async () => {
    await connector.start();
    h.onboard = composeForTest();
    await new Promise<void>((r) => (h.onboard as Onboard).server.listen(0, '127.0.0.1', () => r()));
    h.url = `http://127.0.0.1:${(h.onboard.server.address() as AddressInfo).port}/api/messages`;
  });
  afterAll(async () => {
    h.onboard.server.close();
    await h.onboard.close();
    await connector.stop();
  });
  return h;
}

export async function post(url: string, activity: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
  return { status: response.status, body: await response.text() };
}
