import type { Draft, DraftStore } from '../../app/workflowPorts';
import { TableDocumentStore } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

/** Drafts per requester; a draft is only ever read back by the person who typed it. */
export class TableDraftStore implements DraftStore {
  private readonly documents: TableDocumentStore<Draft>;

  constructor(tables: TableClientFactory) {
    this.documents = new TableDocumentStore(tables('drafts'), { entity: 'draft' });
  }

  async create(draft: Draft): Promise<void> {
    await this.documents.create(draft.requesterId, draft.id, draft);
  }

  async save(draft: Draft): Promise<void> {
    const current = await this.documents.get(draft.requesterId, draft.id);
    if (current) await this.documents.replace(draft.requesterId, draft.id, draft, current.etag);
    else await this.documents.create(draft.requesterId, draft.id, draft);
  }

  async get(requesterId: string, draftId: string): Promise<Draft | undefined> {
    return (await this.documents.get(requesterId, draftId))?.value;
  }
}
