import fc from 'fast-check';
import { parseCommand } from '../../src/domain/commands';
import { phrasings } from './phrasings';

describe('the command language', () => {
  it('has a table of at least 60 phrasings', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(60);
  });

  it.each(phrasings)('%s', (text, expected) => {
    const result = parseCommand(text) as unknown as Record<string, unknown>;
    const { features, ...rest } = expected as { features?: Record<string, unknown>[] };
    expect(result).toMatchObject(rest);
    if (features) {
      expect((result.features as unknown[]) ?? (result.command as { features: unknown[] }).features).toHaveLength(features.length);
      expect(result.features).toEqual(features.map((f) => expect.objectContaining(f)));
    }
  });

  it('turns an unsupported feature into the vendor\'s reason', () => {
    expect(parseCommand('onboard cirrus insight task sync')).toEqual({
      kind: 'unsupported', vendor: 'Cirrus Insight', feature: 'task-sync', reason: "Task Sync isn't supported by a service account: Graph has no application permission for Outlook Tasks",
      suggestions: ['onboard cirrus insight calendar sync', 'onboard cirrus insight email sync'],
    });
  });

  it('offers the closest vendors for one it does not know', () => {
    expect(parseCommand('register mirrorade')).toMatchObject({ kind: 'unknown', reason: 'I don\'t know the vendor "mirrorade".', suggestions: ['onboard Miradore', 'vendors'] });
  });
});

describe('the parser on arbitrary input', () => {
  it('never throws, and gives the same result for the same input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const first = parseCommand(text);
        expect(parseCommand(text)).toEqual(first);
        expect(typeof first.kind).toBe('string');
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws on text built from its own vocabulary, quotes and key=value pairs', () => {
    const word = fc.constantFrom('onboard', 'cirrus', 'connect', 'mail', 'delegated', 'application', 'without', 'custom', '"HR"', 'Mail.Send', 'domain=x.example', 'check', 'does', 'have', 'which', 'apps', '=', '"', 'REQ-ABCD', 'miradore', 'task', 'sync');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 20 }), (words) => {
        expect(() => parseCommand(words.join(' '))).not.toThrow();
      }),
      { numRuns: 1_000 },
    );
  });

  it('answers a very long message with its length instead of reading only its start (its speed is measured in bench/, not here)', () => {
    expect(parseCommand('onboard cirrus connect mail delegated '.repeat(500))).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('18,999 characters long') });
  });
});
