import { TableDocumentStore } from '../../src/adapters/tables/tableDocumentStore';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { ConcurrencyConflictError, AlreadyExistsError } from '../../src/app/errors';
import { testTables } from '../support/tables';

interface Note {
  text: string;
  state: string;
}

function store() {
  const tables = createTableClientFactory(testTables());
  return new TableDocumentStore<Note>(tables('notes'), { entity: 'note', columns: (n) => ({ state: n.state }) });
}

describe('TableDocumentStore on Azurite', () => {
  it('lets exactly one of two racing writers win; the other gets a typed conflict', async () => {
    const notes = store();
    const created = await notes.create('p', 'r1', { text: 'draft', state: 'Draft' });
    const results = await Promise.allSettled([
      notes.replace('p', 'r1', { text: 'from A', state: 'Approved' }, created.etag),
      notes.replace('p', 'r1', { text: 'from B', state: 'Rejected' }, created.etag),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(ConcurrencyConflictError);
    const stored = await notes.get('p', 'r1');
    expect(stored?.value.text).toBe((won[0] as PromiseFulfilledResult<{ value: Note }>).value.value.text);
  });

  it('refuses a second create with the same key instead of overwriting', async () => {
    const notes = store();
    await notes.create('p', 'r1', { text: 'first', state: 'Draft' });
    await expect(notes.create('p', 'r1', { text: 'second', state: 'Draft' })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await notes.get('p', 'r1'))?.value.text).toBe('first');
  });

  it('round-trips documents larger than one table property and filters on columns', async () => {
    const notes = store();
    const big = 'x'.repeat(100_000);
    await notes.create('p', 'big', { text: big, state: 'Draft' });
    await notes.create('p', 'other', { text: 'small', state: 'Done' });
    expect((await notes.get('p', 'big'))?.value.text).toHaveLength(100_000);
    const drafts: string[] = [];
    for await (const n of notes.query("state eq 'Draft'")) drafts.push(n.value.text.slice(0, 5));
    expect(drafts).toEqual(['xxxxx']);
    expect(await notes.get('p', 'missing')).toBeUndefined();
  });
});
