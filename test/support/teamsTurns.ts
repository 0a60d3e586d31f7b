import { TestAdapter, type Activity } from 'botbuilder';
import type { OnboardApplication } from '../../src/teams/app';
import { SEED } from '../../src/localcloud/seedIds';

export interface Card {
  body?: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

/** Runs turns through botbuilder's TestAdapter as a Teams user and collects what the bot sent back. */
export class Conversation {
  readonly adapter: TestAdapter;

  constructor(app: OnboardApplication, private readonly user = { id: 'user-1', name: 'Alex Requester', aadObjectId: '00000000-0000-0000-0000-0000000000a1' }) {
    this.adapter = new TestAdapter(async (context) => {
      await app.run(context);
    }, { channelId: 'msteams', user, bot: { id: 'bot', name: 'Onboard' }, conversation: { id: 'conv-1', conversationType: 'personal' } } as never);
  }

  async say(text: string): Promise<Partial<Activity>[]> {
    // TestAdapter keeps only id and name of the reference's user; Teams also stamps the Entra object id.
    // Teams names the tenant in every activity; this one is the local cloud's, the tenant Onboard serves.
    await this.adapter.receiveActivity({ type: 'message', text, from: this.user, channelData: { tenant: { id: SEED.tenantId } } });
    return this.adapter.activeQueue.splice(0);
  }

  /** Presses an Action.Execute button; returns the card that replaces it (or the message), as Teams shows it. */
  async click(verb: string, data: Record<string, unknown>): Promise<{ card?: Card; message?: string }> {
    await this.adapter.receiveActivity({ type: 'invoke', name: 'adaptiveCard/action', from: this.user, channelData: { tenant: { id: SEED.tenantId } }, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
    const replies = this.adapter.activeQueue.splice(0);
    const body = (replies.find((r) => r.type === 'invokeResponse')?.value as { body?: { type?: string; value?: unknown } } | undefined)?.body;
    return body?.type === 'application/vnd.microsoft.card.adaptive' ? { card: body.value as Card } : { message: String(body?.value ?? '') };
  }
}

/** The data of the card's button with this title (for example Next), wherever it sits on the card. */
export function buttonData(card: unknown, title: string): { verb: string; data: Record<string, unknown> } | undefined {
  let found: { verb: string; data: Record<string, unknown> } | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && n.title === title) found = { verb: String(n.verb), data: (n.data ?? {}) as Record<string, unknown> };
    else Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

/** The Adaptive Cards attached to the replies. */
export function cardsOf(replies: Partial<Activity>[]): Card[] {
  return replies.flatMap((r) => r.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content as Card);
}

/** Every text shown on a card, flattened, so a test reads what a person would read. */
export function cardText(card: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value' || key === 'label' || key === 'placeholder') && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return texts.join('\n');
}
