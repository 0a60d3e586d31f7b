/**
 * Many people talking to the bot at once over HTTP: each conversation sends its commands one after another
 * (as a person does), all conversations at the same time. Used by the load test and the soak.
 */
import type { FakeConnector, TeamsUser } from '../test/support/fakeConnector';
import { personalMessage } from '../test/support/fakeConnector';
import { mixedCommands } from './commandTurns';
import { percentile } from './parsePlan';

export interface LoadFigures {
  turns: number;
  errors: string[];
  /** Sorted turn latencies (request sent → 200 received, the bot's replies already delivered), in ms. */
  latencies: number[];
  p50: number;
  p99: number;
}

const apology = /something went wrong on my side/i;

export const loadUser = (i: number): TeamsUser => ({ id: `29:load-${i}`, aadObjectId: `00000000-0000-0000-0001-${String(100000000000 + i).slice(-12)}`, name: `Load ${i}` });

export async function runConversations(messagesUrl: string, connector: FakeConnector, options: { conversations: number; commandsEach: number; round?: number }): Promise<LoadFigures> {
  const errors: string[] = [];
  const latencies: number[] = [];
  const before = connector.posts.length;
  await Promise.all(Array.from({ length: options.conversations }, async (_x, c) => {
    const user = loadUser(c);
    for (let i = 0; i < options.commandsEach; i++) {
      const text = mixedCommands[(c + i) % mixedCommands.length];
      const started = performance.now();
      try {
        const response = await fetch(messagesUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(personalMessage(connector.url, user, text, `load-${options.round ?? 0}-${c}-${i}`)) });
        await response.arrayBuffer();
        if (response.status !== 200) errors.push(`${user.name} "${text}": HTTP ${response.status}`);
      } catch (error) {
        errors.push(`${user.name} "${text}": ${(error as Error).message}`);
      }
      latencies.push(performance.now() - started);
    }
  }));
  const turns = options.conversations * options.commandsEach;
  const replies = connector.posts.slice(before);
  // Every turn is answered by at least one activity, and none is the apology for an internal error.
  const answered = new Set(replies.map((p) => decodeURIComponent(p.path).split('/activities/')[1]));
  const unanswered = turns - answered.size;
  if (unanswered > 0) errors.push(`${unanswered} of ${turns} messages got no reply`);
  for (const p of replies) if (apology.test(JSON.stringify(p.body))) errors.push(`apology sent: ${String(p.body.text).slice(0, 120)}`);
  latencies.sort((a, b) => a - b);
  return { turns, errors, latencies, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
