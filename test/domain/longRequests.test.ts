import { parseCommand } from '../../src/domain/commands';
import { MAX_REQUEST_TEXT } from '../../src/domain/commandWords';

/** "Say what you understood": a request is read whole, or not at all, never its first part only. */
describe('long requests', () => {
  const request = (filler: number) => `onboard custom "HR" with User.Read delegated,${' '.repeat(filler)} Mail.Read delegated`;

  it('reads a request at the limit whole: the last permission named is in it', () => {
    const text = request(MAX_REQUEST_TEXT - request(0).length);
    expect(text.length).toBe(MAX_REQUEST_TEXT);
    expect(parseCommand(text)).toMatchObject({ kind: 'custom', permissions: [{ name: 'User.Read' }, { name: 'Mail.Read' }] });
  });

  it('refuses a longer one with its length and what to do, instead of dropping its end', () => {
    const result = parseCommand(request(MAX_REQUEST_TEXT));
    expect(result.kind).toBe('unknown');
    if (result.kind === 'unknown') expect(result.reason).toMatch(/characters long; I read requests of up to 2,000 whole.*Shorten it, or split it/);
  });

  it('does not count Teams mention markup against the limit', () => {
    const text = `<at>Onboard</at> ${request(MAX_REQUEST_TEXT - request(0).length - 1)}`;
    expect(parseCommand(text).kind).toBe('custom');
  });
});
