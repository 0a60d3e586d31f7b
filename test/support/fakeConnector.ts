import { createServer, type Server } from 'node:http';
import { SEED } from '../../src/localcloud/seedIds';

/** The tenant Teams names in every activity: the local cloud's, which is the one Onboard serves in the local profile. */
export const TENANT_ID = SEED.tenantId;

export interface ConnectorPost {
  method: string;
  path: string;
  authorization?: string;
  body: { type?: string; text?: string; attachments?: { contentType: string; content: unknown }[]; [key: string]: unknown };
}

/**
 * A loopback stand-in for the Bot Connector service: it records what the bot sends to a
 * conversation, as Teams would receive it, and answers like the connector does.
 */
export class FakeConnector {
  readonly posts: ConnectorPost[] = [];
  private server?: Server;
  private waiters: { count: number; resolve: () => void }[] = [];
  /** Conversations the connector refuses, as Teams does for a person who blocked or removed the bot (403) or a gone chat (404). */
  private readonly refused = new Map<string, number>();
  /** Team rosters served at GET /v3/conversations/{teamId}/pagedmembers, a page of `pageSize` at a time. */
  private readonly rosters = new Map<string, TeamsUser[]>();
  pageSize = 50;
  url = '';

  refuse(conversationId: string, status = 403): this {
    this.refused.set(conversationId, status);
    return this;
  }

  /** Answers that conversation normally again (a 5xx outage is over). */
  accept(conversationId: string): this {
    this.refused.delete(conversationId);
    return this;
  }

  roster(teamId: string, members: TeamsUser[]): this {
    this.rosters.set(teamId, members);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = raw ? JSON.parse(raw) : {};
        const path = req.url ?? '';
        const conversation = decodeURIComponent(/\/v3\/conversations\/([^/?]+)/.exec(path)?.[1] ?? '');
        const members = /\/pagedmembers/.test(path) ? this.rosters.get(conversation) : undefined;
        if (req.method === 'GET' && /\/pagedmembers/.test(path)) {
          // No roster given for this conversation: the connector does not know it.
          if (!members) return void this.answer(res, 404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
          return void this.answer(res, 200, this.page(members, new URL(path, 'http://x').searchParams.get('continuationToken')));
        }
        const refused = this.refused.get(conversation);
        // Refused sends are not recorded: nothing reached the person.
        if (refused) return void this.answer(res, refused, { error: { code: refused === 403 ? 'ConversationBlockedByUser' : refused === 404 ? 'ConversationNotFound' : 'ServiceError', message: refused === 403 ? 'User blocked the conversation with the bot.' : 'The service is not available.' } });
        this.posts.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
        for (const w of this.waiters.filter((w) => this.posts.length >= w.count)) w.resolve();
        this.answer(res, 200, { id: `activity-${this.posts.length}` });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  private answer(res: import('node:http').ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** The connector's TeamsPagedMembersResult: members as TeamsChannelAccount, and a token while more remain. */
  private page(members: TeamsUser[], token: string | null) {
    const start = Number(token ?? 0);
    const slice = members.slice(start, start + this.pageSize).map((m) => ({ id: m.id, name: m.name, aadObjectId: m.aadObjectId, objectId: m.aadObjectId, userRole: 'user' }));
    const next = start + this.pageSize < members.length ? String(start + this.pageSize) : undefined;
    return { members: slice, ...(next ? { continuationToken: next } : {}) };
  }

  /** Resolves once at least `count` activities have arrived. */
  received(count: number, timeoutMs = 10_000): Promise<ConnectorPost[]> {
    if (this.posts.length >= count) return Promise.resolve(this.posts);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`connector got ${this.posts.length} of ${count} activities`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(this.posts)) });
    });
  }

  /** Resolves with the first activity (from index `from` on) that `matches`, once it arrives. */
  async first(matches: (post: ConnectorPost) => boolean, from = 0, timeoutMs = 10_000): Promise<ConnectorPost> {
    const find = () => this.posts.slice(from).find(matches);
    for (let seen = this.posts.length; !find(); seen = this.posts.length) await this.received(seen + 1, timeoutMs);
    return find()!;
  }

  /** Resolves with the bot's reply to the activity `activityId`, once it arrives. */
  async replyTo(activityId: string, timeoutMs = 10_000): Promise<ConnectorPost['body']> {
    return (await this.first((p) => p.method === 'POST' && p.path.endsWith(`/activities/${encodeURIComponent(activityId)}`), 0, timeoutMs)).body;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** A Bot Framework message activity as Teams would post it to /api/messages. */
export function messageActivity(serviceUrl: string, text: string, id = `m-${Date.now()}`) {
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user-1', name: 'Alex Requester', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
    conversation: { id: 'a:conv-1', conversationType: 'personal', tenantId: TENANT_ID },
    recipient: { id: '28:bot', name: 'Onboard' },
    text,
    channelData: { tenant: { id: TENANT_ID } },
  };
}

export interface TeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
}

/** A message from `user` in their personal chat with the bot. */
export function personalMessage(serviceUrl: string, user: TeamsUser, text: string, id: string) {
  return { ...messageActivity(serviceUrl, text, id), from: user, conversation: { id: `a:${user.aadObjectId}`, conversationType: 'personal', tenantId: TENANT_ID } };
}

/** An Action.Execute click, as Teams sends it: an invoke on the message that holds the card. */
export function actionInvoke(serviceUrl: string, user: TeamsUser, verb: string, data: Record<string, unknown>, replyToId: string, conversationId = `a:${user.aadObjectId}`) {
  return {
    type: 'invoke', name: 'adaptiveCard/action', id: `i-${Math.random().toString(36).slice(2)}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl,
    from: user, recipient: { id: '28:bot', name: 'Onboard' }, replyToId,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    channelData: { tenant: { id: TENANT_ID } },
  };
}
