import { Conversation } from '../support/teamsTurns';
import { composeForTest } from '../support/onboard';
import type { Membership } from '../../src/app/workflowPorts';

/** A directory that answers after the teams-ai typing timer (1 s) would have fired. */
class SlowMembership implements Membership {
  async memberOf(): Promise<Set<string>> {
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    return new Set();
  }
}

describe('a slow turn', () => {
  it('sends its answer and no "typing" activity before it', async () => {
    const { app } = composeForTest({ APPROVERS_GROUP_ID: '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05' }, { membership: new SlowMembership() });
    const replies = await new Conversation(app).say('audit REQ-7K2M9QXA');
    expect(replies.map((r) => r.type)).not.toContain('typing');
    expect(replies.length).toBeGreaterThan(0);
  }, 15_000);
});
