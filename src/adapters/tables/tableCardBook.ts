import type { CardBook, PostedCard } from '../../app/workflowPorts';
import { TableDocumentStore, odataString } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

/** Posted cards per request; kept apart from the request so card bookkeeping never contends with decisions. */
export class TableCardBook implements CardBook {
  private readonly documents: TableDocumentStore<PostedCard>;

  constructor(tables: TableClientFactory) {
    this.documents = new TableDocumentStore(tables('cards'), { entity: 'posted card' });
  }

  async record(requestId: string, card: PostedCard): Promise<void> {
    await this.documents.create(requestId, card.activityId.replace(/[\\/#?]/g, '_'), card);
  }

  async forRequest(requestId: string): Promise<PostedCard[]> {
    const cards: PostedCard[] = [];
    for await (const c of this.documents.query(`PartitionKey eq ${odataString(requestId)}`)) cards.push(c.value);
    return cards;
  }
}
