import { TableOutbox } from '../../src/adapters/tables/tableOutbox';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { newDelivery, newNotice } from '../../src/domain/delivery';
import { testTables } from '../support/tables';

/**
 * The outbox is shared by every bot instance, and during a rolling upgrade by two versions of Onboard: a row of a kind
 * this version does not know (a newer version's, or one written straight to the table) is left alone, never acted on
 * and never in the way of the rows it does know.
 */
describe('TableOutbox on Azurite', () => {
  it('sends on around a row it cannot read, and leaves that row as it is', async () => {
    const tables = createTableClientFactory(testTables());
    const outbox = new TableOutbox(tables);
    const now = new Date();
    await outbox.enqueue([newNotice('REQ-1', 'REQ-1 is registered and verified.', now), newDelivery('REQ-1', 'approval', { kind: 'channel' }, now)]);
    const table = tables('outbox');
    const unknown = { requestId: 'REQ-1', key: 'digest:channel', kind: 'digest', recipient: { kind: 'channel' }, status: 'pending', attempts: 0, dueAt: now.toISOString(), createdAt: now.toISOString() };
    await table.createEntity({ partitionKey: 'REQ-1', rowKey: 'digest:channel', chunks: 1, d0: JSON.stringify(unknown), status: 'pending', dueAt: now.toISOString() });
    await table.createEntity({ partitionKey: 'REQ-1', rowKey: 'broken', chunks: 1, d0: '{not json', status: 'pending', dueAt: now.toISOString() });

    expect((await outbox.forRequest('REQ-1')).map((r) => r.value.key).sort()).toEqual(['approval:channel', expect.stringMatching(/^notice:/)]);
    expect((await outbox.due(new Date(now.getTime() + 1), 50)).map((r) => r.value.kind).sort()).toEqual(['approval', 'notice']);
    expect(JSON.parse((await table.getEntity<{ d0: string }>('REQ-1', 'digest:channel')).d0)).toEqual(unknown);
  });
});
