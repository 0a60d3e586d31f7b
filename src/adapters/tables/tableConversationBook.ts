import type { ConversationBook } from '../../app/workflowPorts';
import { TableDocumentStore } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

interface Entry {
  reference: unknown;
  updatedAt: string;
  by?: string;
}

const MAX_REMEMBERED = 10_000;

/** Conversation references for proactive messages: one per user, and the approvals channel. */
export class TableConversationBook implements ConversationBook {
  private readonly documents: TableDocumentStore<Entry>;

  constructor(tables: TableClientFactory) {
    this.documents = new TableDocumentStore(tables('conversations'), { entity: 'conversation' });
  }

  /** What this process last stored per user: every message carries the reference, and it rarely changes. */
  private readonly stored = new Map<string, string>();

  async rememberUser(userId: string, reference: unknown): Promise<boolean> {
    // The message's own id is no part of where to reach the person, and would make every reference new.
    const { activityId: _activityId, ...stable } = (reference ?? {}) as Record<string, unknown>;
    const fingerprint = JSON.stringify(stable);
    if (this.stored.get(userId) === fingerprint) return false;
    const first = await this.put('user', userId, { reference: stable, by: userId, updatedAt: new Date().toISOString() });
    if (this.stored.size >= MAX_REMEMBERED) this.stored.clear();
    this.stored.set(userId, fingerprint);
    return first;
  }

  async user(userId: string): Promise<unknown | undefined> {
    return (await this.documents.get('user', userId))?.value.reference;
  }

  async knownUsers(): Promise<{ userId: string; reference: unknown }[]> {
    const users: { userId: string; reference: unknown }[] = [];
    for await (const entry of this.documents.query("PartitionKey eq 'user'")) users.push({ userId: entry.value.by ?? '', reference: entry.value.reference });
    return users;
  }

  async setApprovalsChannel(reference: unknown, by: string): Promise<void> {
    await this.put('setting', 'approvalsChannel', { reference, by, updatedAt: new Date().toISOString() });
  }

  async approvalsChannel(): Promise<unknown | undefined> {
    return (await this.documents.get('setting', 'approvalsChannel'))?.value.reference;
  }

  /** Last writer wins on purpose: a newer reference to the same conversation is always as good. True when it was created. */
  private async put(partition: string, key: string, entry: Entry): Promise<boolean> {
    const current = await this.documents.get(partition, key);
    if (current) {
      await this.documents.replace(partition, key, entry, '*');
      return false;
    }
    return this.documents.create(partition, key, entry).then(() => true, () => this.documents.replace(partition, key, entry, '*').then(() => false));
  }
}
