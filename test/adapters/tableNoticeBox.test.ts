import { TableNoticeBox, noticeSchema, orderSchema } from '../../src/adapters/tables/tableHandoff';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { testTables } from '../support/tables';

/**
 * The hand-off tables are shared storage: anyone who can write Table Storage can add a row. A notice or an order is
 * parsed with its schema where it is read, and a row Onboard did not write is taken away and never acted on.
 */
describe('TableNoticeBox on Azurite', () => {
  it('hands on the notices Onboard wrote, in order, and drops rows that do not fit', async () => {
    const tables = createTableClientFactory(testTables());
    const box = new TableNoticeBox(tables, 'notices', noticeSchema);
    await box.post({ kind: 'changed', requestId: 'REQ-1', message: 'REQ-1 is registered and verified.' });
    const client = tables('notices');
    // Written straight to the table: an unknown kind, a known kind with its fields wrong, and a body that is not JSON.
    await client.createEntity({ partitionKey: 'notice', rowKey: '000000000000001-forged-a', body: JSON.stringify({ kind: 'grantEverything', requestId: 'REQ-1' }) });
    await client.createEntity({ partitionKey: 'notice', rowKey: '000000000000001-forged-b', body: JSON.stringify({ kind: 'finished', requestId: { $gt: '' } }) });
    await client.createEntity({ partitionKey: 'notice', rowKey: '000000000000001-forged-c', body: '{not json' });
    await box.post({ kind: 'finished', requestId: 'REQ-1' });

    expect(await box.take(50)).toEqual([
      { kind: 'changed', requestId: 'REQ-1', message: 'REQ-1 is registered and verified.' },
      { kind: 'finished', requestId: 'REQ-1' },
    ]);
    expect(box.rejected).toBe(3);
    expect(await box.take(50)).toEqual([]);
  });

  it('takes orders only in the one shape the worker carries out', async () => {
    const tables = createTableClientFactory(testTables());
    const orders = new TableNoticeBox(tables, 'orders', orderSchema);
    await orders.post({ kind: 'removePassword', appObjectId: 'app-1', keyId: 'key-1' });
    await tables('orders').createEntity({ partitionKey: 'notice', rowKey: '000000000000001-forged', body: JSON.stringify({ kind: 'addPassword', appObjectId: 'x', keyId: 'y' }) });
    expect(await orders.take(50)).toEqual([{ kind: 'removePassword', appObjectId: 'app-1', keyId: 'key-1' }]);
    expect(orders.rejected).toBe(1);
  });
});
