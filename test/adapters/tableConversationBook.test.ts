import { TableConversationBook } from '../../src/adapters/tables/tableConversationBook';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { testTables } from '../support/tables';

const reference = (serviceUrl: string, activityId: string) => ({ activityId, channelId: 'msteams', serviceUrl, conversation: { id: 'a:1', conversationType: 'personal' }, user: { id: '29:alex', aadObjectId: 'u-1' } });

describe('TableConversationBook on Azurite', () => {
  it('keeps where to reach a person, without the id of the message that told it', async () => {
    const tables = testTables();
    await new TableConversationBook(createTableClientFactory(tables)).rememberUser('u-1', reference('https://smba.example/emea/', 'm-1'));
    const stored = await new TableConversationBook(createTableClientFactory(tables)).user('u-1');
    expect(stored).toMatchObject({ serviceUrl: 'https://smba.example/emea/', conversation: { id: 'a:1' } });
    expect(stored).not.toHaveProperty('activityId');
  });

  it('stores a changed reference even when this process stored the same person before', async () => {
    const tables = testTables();
    const book = new TableConversationBook(createTableClientFactory(tables));
    await book.rememberUser('u-1', reference('https://smba.example/emea/', 'm-1'));
    await book.rememberUser('u-1', reference('https://smba.example/emea/', 'm-2'));
    await book.rememberUser('u-1', reference('https://smba.example/amer/', 'm-3'));
    expect(await new TableConversationBook(createTableClientFactory(tables)).user('u-1')).toMatchObject({ serviceUrl: 'https://smba.example/amer/' });
  });
});
