import type { AddressInfo } from 'node:net';
import { personalMessage, type FakeConnector, type TeamsUser } from './fakeConnector';
import { composeForTest } from './onboard';

type CardAction = { verb?: string; data?: Record<string, string> };
export type Card = { actions: CardAction[] };

/**
 * The bot composed as production composes it, listening on loopback, spoken to over HTTP as Teams would through
 * the fake connector; its notices watcher runs, so what a separate worker process reports reaches people.
 * `left` is the caller's budget: every wait takes what is left of it.
 */
export async function startHttpBot(connector: FakeConnector, env: Record<string, string>, left: () => number) {
  const onboard = composeForTest(env);
  onboard.notices.start();
  await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  /** Types `text` in the person's chat; resolves with the card of the first reply. */
  const say = async (user: TeamsUser, text: string): Promise<Card> => {
    const before = connector.posts.length;
    await post(personalMessage(connector.url, user, text, `m-${Math.random()}`));
    await connector.received(before + 1, left());
    return connector.posts[before].body.attachments?.[0]?.content as Card;
  };
  /** The first message posted after the `from`th on whose text `match` holds. */
  const told = async (from: number, match: (text: string) => boolean): Promise<string> => {
    for (let seen = from + 1; ; seen++) {
      const posts = await connector.received(seen, left());
      const text = posts[seen - 1].body.text;
      if (text && match(text)) return text;
    }
  };
  return {
    onboard, url, post, say, told,
    async close() {
      await onboard.close();
      onboard.server.close();
    },
  };
}
