import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { loadConfig } from '../../src/config';
import { redactedPaths } from '../../src/logging';
import { composeOnboard, composeWorker, type ComposeOverrides, type Onboard, type Worker } from '../../src/compose';
import { inProcessHandoff, settle } from '../support/inProcessHandoff';
import { createCredential } from '../../src/adapters/identity/credentials';
import { startLocalCloud, type LocalCloud } from '../../src/localcloud';
import type { RegistrationRequest } from '../../src/domain/request';
import { FakeConnector, personalMessage, actionInvoke, type TeamsUser } from '../support/fakeConnector';
import { testTables } from '../support/tables';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableLinkStore } from '../../src/adapters/tables/tableLinkStore';
import { hashLinkToken } from '../../src/app/secrets/linkToken';

export const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
export const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
export const patti: TeamsUser = { id: '29:patti', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' };

type Card = { body?: unknown[]; actions?: { type: string; verb?: string; url?: string; title?: string; data?: Record<string, string> }[] };

export interface PageResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * The whole bot as production composes it, on the local cloud and its own Azurite tables, listening on a
 * loopback port, with a fake Bot Connector catching every card and every log line kept in memory.
 */
export class HandoverStack {
  readonly connector = new FakeConnector();
  readonly logs: string[] = [];
  /** Every response a secret page gave, in order, so a test can scan them all. */
  readonly pageResponses: PageResponse[] = [];
  /** Every answer /api/messages gave (invoke responses carry cards). */
  readonly apiResponses: string[] = [];
  readonly tables = testTables();
  readonly requests = new TableRequestStore(createTableClientFactory(this.tables));
  cloud!: LocalCloud;
  onboard!: Onboard;
  /** The provisioning worker, in this process under its own identity, woken directly by the bot. */
  worker!: Worker;
  base = '';
  /** Every authorization code the local cloud handed a browser in this stack, to prove none reaches a log. */
  readonly signInCodes: string[] = [];
  /** The bot's PUBLIC_URL: links and the sign-in redirect URI point there; `localUrl` maps them to the real port. */
  publicUrl = 'http://127.0.0.1:3978';

  async start(options: { env?: Record<string, string>; overrides?: ComposeOverrides } = {}): Promise<this> {
    await this.connector.start();
    this.cloud = await startLocalCloud({ dataDir: mkdtempSync(join(tmpdir(), 'onboard-secrets-')), env: {} });
    const { NODE_EXTRA_CA_CERTS: _trustedAlready, ...env } = this.cloud.botEnvironment();
    const config = loadConfig({ TABLES_CONNECTION_STRING: this.tables.connectionString!, TABLES_PREFIX: this.tables.prefix, LOG_LEVEL: 'trace', ...env, ...options.env });
    const sink = new Writable({ write: (chunk, _enc, done) => (this.logs.push(String(chunk)), done()) });
    const logger = pino({ level: 'trace', redact: { paths: redactedPaths, censor: '[redacted]' } }, sink);
    this.publicUrl = config.http.publicUrl;
    // What `onboard dev` does for a developer: the link page's sign-in may come back to this bot.
    this.cloud.signIn.registerRedirectUri(this.cloud.bot.clientId, `${this.publicUrl}/secrets/signin`);
    const pair = inProcessHandoff(createTableClientFactory(this.tables));
    this.onboard = composeOnboard(config, logger, { ...options.overrides, handoff: pair.handoff });
    const { NODE_EXTRA_CA_CERTS: _trusted, ...workerEnv } = this.cloud.workerEnvironment();
    const workerConfig = loadConfig({ TABLES_CONNECTION_STRING: this.tables.connectionString!, TABLES_PREFIX: this.tables.prefix, LOG_LEVEL: 'trace', ...workerEnv, ...options.env, AZURE_CLIENT_ID: workerEnv.AZURE_CLIENT_ID, AZURE_CLIENT_SECRET: workerEnv.AZURE_CLIENT_SECRET });
    this.worker = composeWorker(workerConfig, logger, { clock: options.overrides?.clock, handoff: pair.handoff });
    pair.connect(this.onboard, this.worker);
    this.another = async () => {
      const other = composeOnboard(config, logger, { ...options.overrides, handoff: pair.handoff });
      await new Promise<void>((r) => other.server.listen(0, '127.0.0.1', () => r()));
      this.others.push(other);
      return `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
    };
    await new Promise<void>((r) => this.onboard.server.listen(0, '127.0.0.1', () => r()));
    this.base = `http://127.0.0.1:${(this.onboard.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Every sweep, as the two processes' timers would run them: the worker's, then what it has to say, then the bot's. */
  async sweepSecrets(): Promise<void> {
    await this.worker.secretsSweeper.runOnce();
    await this.onboard.notices.runOnce();
    await this.onboard.secrets.sweeper!.runOnce();
  }

  /** A second bot instance on the same tables and settings (as App Service scales out); returns its base URL. */
  another: () => Promise<string> = async () => { throw new Error('start the stack first'); };
  private readonly others: Onboard[] = [];

  async stop(): Promise<void> {
    await this.worker?.close();
    for (const other of this.others) {
      await other.close();
      other.server.close();
    }
    await this.onboard?.close();
    this.onboard?.server.close();
    await this.connector.stop();
    await this.cloud?.close();
  }

  private async post(activity: object) {
    const response = await fetch(`${this.base}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    this.apiResponses.push(text);
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  }

  /** The first card the bot sends to `user`'s chat in answer; a late reply to an earlier message is skipped. */
  async say(user: TeamsUser, text: string): Promise<Card> {
    const before = this.connector.posts.length;
    await this.post(personalMessage(this.connector.url, user, text, `m-${Math.random()}`));
    for (let seen = before + 1; ; seen++) {
      await this.connector.received(seen);
      const card = this.connector.posts.slice(before).find((p) => decodeURIComponent(p.path).includes(`a:${user.aadObjectId}`) && p.body.attachments?.length);
      if (card) return card.body.attachments![0].content as Card;
    }
  }

  /** The bot's first text answer in `user`'s chat. */
  async sayText(user: TeamsUser, text: string): Promise<string> {
    const before = this.connector.posts.length;
    await this.post(personalMessage(this.connector.url, user, text, `m-${Math.random()}`));
    for (let seen = before + 1; ; seen++) {
      await this.connector.received(seen);
      const reply = this.connector.posts.slice(before).find((p) => decodeURIComponent(p.path).includes(`a:${user.aadObjectId}`) && p.body.text);
      if (reply) return reply.body.text!;
    }
  }

  click(user: TeamsUser, verb: string, data: Record<string, unknown>, replyToId = 'card-1') {
    return this.post(actionInvoke(this.connector.url, user, verb, data, replyToId));
  }

  /** Alex asks, Megan approves, the saga runs; resolves once the background work is done. */
  async approvedAndProvisioned(text = 'onboard miradore'): Promise<RegistrationRequest> {
    await this.say(megan, 'help');
    const preview = await this.say(alex, text);
    const submit = preview.actions!.find((a) => a.verb === 'request.submit');
    if (!submit) throw new Error(`no Submit on the preview for "${text}"`);
    const before = this.connector.posts.length;
    // Each test may ask for the same vendor again: the second app is confirmed on purpose.
    await this.click(alex, 'request.submit', { ...submit.data!, 'input.justification': 'Needed for the vendor integration.', 'input.secondApp': 'yes' }, 'preview-1');
    const approve = await this.waitForAction(before, 'approval.approve');
    await this.approve(approve.data!);
    return this.request(approve.data!.requestId);
  }

  async request(id: string): Promise<RegistrationRequest> {
    return (await this.requests.get(id))!.value;
  }

  /** The first action with this verb on a card sent after post number `from`. */
  async waitForAction(from: number, verb: string) {
    for (let seen = from + 1; ; seen++) {
      await this.connector.received(seen);
      for (const p of this.connector.posts.slice(from)) {
        const action = (p.body.attachments?.[0]?.content as Card | undefined)?.actions?.find((a) => a.verb === verb);
        if (action) return action;
      }
    }
  }

  async approve(data: Record<string, string>, approver = megan): Promise<void> {
    await this.click(approver, 'approval.approve', data, 'approval-1');
    await settle(this.onboard, this.worker);
  }

  /** Cards carrying a one-time link, with the conversation each went to. */
  linkCards(): { conversation: string; url: string; card: Card }[] {
    return this.connector.posts.flatMap((p) => {
      const card = p.body.attachments?.[0]?.content as Card | undefined;
      const open = card?.actions?.find((a) => a.type === 'Action.OpenUrl' && a.url?.includes('/secrets/'));
      return open && card ? [{ conversation: decodeURIComponent(p.path), url: open.url!, card }] : [];
    });
  }

  /** The link as the requester would open it, pointed at this test's port. */
  localUrl(url: string): string {
    return `${this.base}${new URL(url).pathname}`;
  }

  async page(url: string, init: RequestInit = {}): Promise<PageResponse> {
    const response = await fetch(url, { redirect: 'manual', ...init });
    const page = { status: response.status, headers: response.headers, body: await response.text() };
    this.pageResponses.push(page);
    return page;
  }

  /** GET the page, then POST its form as the browser would, with the cookie and the hidden field it set. */
  async reveal(url: string, tamper: { field?: string | null; cookie?: string | null } = {}): Promise<PageResponse> {
    const { field, cookie } = await this.form(url);
    return this.submit(url, { field, cookie, ...tamper });
  }

  /** What the page hands the browser for its Reveal button: the hidden field and the cookie (with the session cookie when signed in first). */
  async form(url: string, as: string | null = 'alexw@example.com'): Promise<{ field: string; cookie: string }> {
    const session = as === null ? undefined : (await this.signIn(url, as)).cookie;
    const shown = await this.page(url, session ? { headers: { Cookie: session } } : {});
    const antiForgery = (shown.headers.get('set-cookie') ?? '').split(';')[0];
    return { field: /name="anti_forgery" value="([^"]+)"/.exec(shown.body)?.[1] ?? '', cookie: [antiForgery, session].filter(Boolean).join('; ') };
  }

  /**
   * Signs in on the link's page as a browser would: the page's "Sign in to reveal" (?signin) → the local cloud's
   * sign-in page, picking `upn` → back to /secrets/signin with the code. `tamper` changes the answer on its way back.
   * Returns the session cookie the bot set (none when refused) and the page the callback answered.
   */
  async signIn(url: string, upn = 'alexw@example.com', tamper: { state?: (s: string) => string; code?: (c: string) => string; pending?: (cookie: string) => string | undefined; callbackBase?: string } = {}): Promise<{ cookie?: string; page: PageResponse; code: string; pendingCookie: string; callbackUrl: string }> {
    const start = await this.page(`${url}?signin`);
    if (start.status !== 302) throw new Error(`?signin answered ${start.status}, not a redirect to sign-in`);
    const pendingCookie = start.headers.getSetCookie()[0].split(';')[0];
    const authorize = new URL(start.headers.get('location')!);
    const picked = new URLSearchParams([...authorize.searchParams.entries(), ['login_hint', upn]]);
    const chosen = await fetch(`${authorize.origin}${authorize.pathname}`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: picked.toString() });
    if (chosen.status !== 302) {
      const page = await chosen.text();
      throw new Error(`the local cloud's sign-in answered ${chosen.status}: ${/AADSTS\d+[^<]*/.exec(page)?.[0] ?? page.slice(0, 300)}`);
    }
    const back = new URL(chosen.headers.get('location')!);
    const code = back.searchParams.get('code')!;
    this.signInCodes.push(code);
    if (tamper.state) back.searchParams.set('state', tamper.state(back.searchParams.get('state') ?? ''));
    if (tamper.code) back.searchParams.set('code', tamper.code(code));
    const cookie = tamper.pending ? tamper.pending(pendingCookie) : pendingCookie;
    const callbackUrl = `${tamper.callbackBase ?? this.base}${back.pathname}${back.search}`;
    const page = await this.page(callbackUrl, cookie ? { headers: { Cookie: cookie } } : {});
    const session = page.headers.getSetCookie().find((c) => /onboard-session=[^;]/.test(c))?.split(';')[0];
    return { cookie: session, page, code, pendingCookie, callbackUrl };
  }

  /** POST the Reveal form with this field and cookie (null leaves one out). */
  submit(url: string, { field, cookie }: { field?: string | null; cookie?: string | null }): Promise<PageResponse> {
    const form = field === null || field === undefined ? '' : `anti_forgery=${encodeURIComponent(field)}`;
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.base };
    if (cookie !== null && cookie !== undefined) headers.Cookie = cookie;
    return this.page(url, { method: 'POST', headers, body: form });
  }

  /** The value shown on a reveal page. */
  static secretOn(page: PageResponse): string | undefined {
    const raw = /id="secret"[^>]*value="([^"]*)"/.exec(page.body)?.[1];
    return raw?.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }

  /** Proof that a client secret works: a token for the app from the local cloud's Entra. */
  async tokenWith(appId: string, secret: string): Promise<boolean> {
    const credential = createCredential({ profile: 'local', identity: { kind: 'clientSecret', tenantId: this.cloud.tenantId, clientId: appId, clientSecret: secret, authorityHost: this.cloud.authorityHost } });
    try {
      return !!(await credential.getToken('https://graph.microsoft.com/.default'))?.token;
    } catch {
      return false;
    }
  }

  /** Every row of every table this bot wrote, as JSON text. */
  async allTableRows(): Promise<string[]> {
    const service = TableServiceClient.fromConnectionString(this.tables.connectionString!, { allowInsecureConnection: true });
    const rows: string[] = [];
    for await (const table of service.listTables()) {
      if (!table.name?.startsWith(this.tables.prefix)) continue;
      const client = TableClient.fromConnectionString(this.tables.connectionString!, table.name, { allowInsecureConnection: true });
      for await (const entity of client.listEntities()) rows.push(JSON.stringify(entity));
    }
    return rows;
  }

  /** Where a value occurs: log lines, table rows, cards sent, bot answers, and secret page answers (headers and body). */
  async occurrences(value: string): Promise<{ logs: number; rows: number; cards: number; botAnswers: number; pages: number }> {
    const count = (texts: string[]) => texts.filter((t) => t.includes(value)).length;
    const headerText = (headers: Headers) => {
      const lines: string[] = [];
      headers.forEach((v, name) => lines.push(`${name}: ${v}`));
      return lines.join('\n');
    };
    return {
      logs: count(this.logs),
      rows: count(await this.allTableRows()),
      cards: count(this.connector.posts.map((p) => JSON.stringify(p.body))),
      botAnswers: count(this.apiResponses),
      pages: count(this.pageResponses.map((p) => `${headerText(p.headers)}\n${p.body}`)),
    };
  }

  /** The stored link row behind a link URL (its state: unused, revealed …). */
  links() {
    const store = new TableLinkStore(createTableClientFactory(this.tables));
    return { get: async (url: string) => (await store.get(hashLinkToken(new URL(url).pathname.split('/').pop()!)))?.value };
  }

  passwordsOf(appId: string): { keyId: string; displayName?: string }[] {
    const app = this.cloud.state.applications.find((a) => (a as { appId: string }).appId === appId) as { passwordCredentials: { keyId: string; displayName?: string }[] } | undefined;
    return app?.passwordCredentials ?? [];
  }
}
