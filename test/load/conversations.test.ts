import type { AddressInfo } from 'node:net';
import { runConversations } from '../../bench/conversationLoad';
import { budgetMs } from '../support/budget';
import { FakeConnector } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';

// Load, not speed: the figures are printed for people; the test fails only on errors or unanswered messages.
describe('50 people talking to the bot at once over HTTP', () => {
  const connector = new FakeConnector();
  const onboard = composeForTest();
  let url: string;
  beforeAll(async () => {
    await connector.start();
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
  });
  afterAll(async () => {
    onboard.server.close();
    await onboard.close();
    await connector.stop();
  });

  it('50 conversations × 20 mixed commands: every message answered, no error, no apology', async () => {
    const figures = await runConversations(url, connector, { conversations: 50, commandsEach: 20 });
    console.log(`load: ${figures.turns} turns over HTTP, 50 at a time; p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms`);
    expect(figures.errors).toEqual([]);
    expect(figures.latencies).toHaveLength(1_000);
  }, budgetMs(1_000, 45));
});
