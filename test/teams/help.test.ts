import { Conversation, cardsOf, cardText } from '../support/teamsTurns';
import { composeForTest } from '../support/onboard';

function conversation() {
  return new Conversation(composeForTest().app);
}

describe('help in a Teams chat', () => {
  it('answers "help" with the help card listing every command with an example', async () => {
    const [card] = cardsOf(await conversation().say('help'));
    const text = cardText(card);
    expect(text).toContain('Onboard');
    for (const word of ['onboard', 'check', 'which', 'vendors', 'status', 'rotate', 'audit', 'help']) expect(text.split('\n')).toContain(word);
    expect(text).toContain('onboard cirrus connect mail delegated');
    expect(text).not.toMatch(/did you mean/i);
  });

  it('answers gibberish with the same help card and says it did not understand', async () => {
    const replies = await conversation().say('qwzx plorb');
    const text = cardText(cardsOf(replies)[0]);
    expect(text).toContain('I didn\'t understand "qwzx plorb"');
    expect(text.split('\n')).toContain('vendors');
    expect(text).not.toMatch(/did you mean/i);
  });

  it('suggests "help" for "hlep", and "status" for "stat"', async () => {
    for (const [typed, meant] of [['hlep', 'help'], ['stat', 'status']]) {
      const replies = await conversation().say(typed);
      expect(replies[0].text).toBe(`Did you mean "${meant}"?`);
      expect(cardText(cardsOf(replies)[0])).toContain(`Did you mean **${meant}**?`);
    }
  });
});
