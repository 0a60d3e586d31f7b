import { handoverSecretName } from '../../src/domain/provisioning';
import { cardText } from '../support/teamsTurns';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { alex, HandoverStack } from './handoverStack';

let secret = '';
let token = '';
let requestId = '';

describe('approve → provision → one-time link to the requester → reveal once', () => {
  const stack = new HandoverStack();
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  const vaultHas = (name: string) => (stack.cloud.state.vault as { secrets: Record<string, unknown> }).secrets[name];
  const vaultDeleted = (name: string) => stack.cloud.state.vault.deleted.includes(name);

  it('hands the exact secret Graph issued to the requester once, then purges it from the vault', async () => {
    const request = await stack.approvedAndProvisioned('onboard miradore');
    const appId = request.provisioning!.steps.application!.appId;
    requestId = request.id;
    const vaultName = handoverSecretName(request.id);
    expect(vaultHas(vaultName)).toBeDefined();

    const cards = stack.linkCards();
    expect(cards).toHaveLength(1);
    expect(cards[0].conversation).toContain(`a:${alex.aadObjectId}`);
    const text = cardText(cards[0].card);
    expect(text).toContain('Alex Wilber');
    expect(text).toMatch(/works \*\*once\*\*/);
    expect(text).toContain(request.handover!.expiresAt!.slice(0, 10));
    const url = stack.localUrl(cards[0].url);

    for (let i = 0; i < 3; i++) {
      const shown = await stack.page(url);
      expect(shown.status).toBe(200);
      expect(shown.body).toContain('Reveal');
      expect(shown.body).toContain('<dt>Vendor</dt><dd>Miradore</dd>');
      expect(shown.body).toContain(`<dt>For</dt><dd>Alex Wilber</dd>`);
      expect(shown.body).toContain(`${request.handover!.expiresAt!.slice(0, 16).replace('T', ' ')} UTC`);
    }
    expect(vaultHas(vaultName)).toBeDefined();

    const form = await stack.form(url);
    const revealed = await stack.submit(url, form);
    expect(revealed.status).toBe(200);
    secret = HandoverStack.secretOn(revealed)!;
    token = new URL(url).pathname.split('/').pop()!;
    expect(secret).toMatch(/8Q~/);
    expect(revealed.body).toContain(appId);
    expect(revealed.body).toContain(stack.cloud.tenantId);
    expect(await stack.tokenWith(appId, secret)).toBe(true);

    expect(vaultHas(vaultName)).toBeUndefined();
    expect(vaultDeleted(vaultName)).toBe(false);
    expect((await stack.request(request.id)).state).toBe('SecretDelivered');
    const lastCardUpdate = [...stack.connector.posts].reverse().find((p) => p.method === 'PUT' && p.body.attachments?.length);
    expect(cardText(lastCardUpdate!.body.attachments![0].content)).toContain('Done: secret delivered');

    const again = await stack.submit(url, form);
    expect(again.status).toBe(410);
    expect(again.body).toContain('already revealed');

    const audit = await new TableAuditLog(createTableClientFactory(stack.tables)).forRequest(request.id);
    const actions = audit.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['secret.link.issued:ok', 'secret.link.sent:ok', 'secret.link.viewed:ok', 'secret.revealed:ok', 'secret.revealed:refused']));
    expect(audit.find((e) => e.action === 'secret.revealed' && e.outcome === 'ok')!.detail).toMatch(/^POST from 127\.0\.0\.1, user agent "/);
  }, 90_000);

  it('leaves the value nowhere else: not in a log line, a table row, a card, or any other HTTP answer', async () => {
    expect(secret.length).toBeGreaterThan(30);
    // The capture works: the pages' own log lines are there, naming the request, and the link table is read.
    expect(stack.logs.filter((l) => l.includes(requestId)).length).toBeGreaterThan(3);
    expect((await stack.allTableRows()).some((r) => r.includes('"state":"revealed"'))).toBe(true);
    expect(await stack.occurrences(secret)).toEqual({ logs: 0, rows: 0, cards: 0, botAnswers: 0, pages: 1 });
    // The link itself is a credential until used: only its card carries it.
    expect(await stack.occurrences(token)).toMatchObject({ logs: 0, rows: 0, cards: 1 });
  });
});
