import type { ConversationBook } from '../../app/workflowPorts';
import { TableDocumentStore } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

interface Entry {
  reference: unknown;
  updatedAt: string;
  by?: string;
  teamId?: string;
}

/**
 * A channel message's conversation id names its thread (`19:…@thread.tacv2;messageid=…`). Posting to it
 * replies in that thread; posting to the bare channel id starts a new one, which is what each card needs.
 */
export function bareChannelReference(reference: unknown): unknown {
  const r = (reference ?? {}) as { conversation?: { id?: string } };
  const id = r.conversation?.id;
  if (typeof id !== 'string' || !id.includes(';messageid=')) return reference;
  const { activityId: _activityId, ...rest } = r as Record<string, unknown>;
  return { ...rest, conversation: { ...r.conversation, id: id.split(';messageid=')[0] } };
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

  async forgetUser(userId: string): Promise<void> {
    this.stored.delete(userId);
    await this.documents.delete('user', userId);
  }

  async user(userId: string): Promise<unknown | undefined> {
    return (await this.documents.get('user', userId))?.value.reference;
  }

  async knownUsers(): Promise<{ userId: string; reference: unknown }[]> {
    const users: { userId: string; reference: unknown }[] = [];
    for await (const entry of this.documents.query("PartitionKey eq 'user'")) users.push({ userId: entry.value.by ?? '', reference: entry.value.reference });
    return users;
  }

  async setApprovalsChannel(reference: unknown, by: string, teamId?: string): Promise<void> {
    await this.put('setting', 'approvalsChannel', { reference: bareChannelReference(reference), by, teamId, updatedAt: new Date().toISOString() });
  }

  /** Rows stored before the bare id was kept are read as bare too. */
  async approvalsChannel(): Promise<unknown | undefined> {
    const reference = (await this.documents.get('setting', 'approvalsChannel'))?.value.reference;
    return reference && bareChannelReference(reference);
  }

  async forgetApprovalsChannelOf(teamId: string): Promise<boolean> {
    const current = await this.documents.get('setting', 'approvalsChannel');
    if (!current || current.value.teamId !== teamId) return false;
    await this.documents.delete('setting', 'approvalsChannel');
    return true;
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
