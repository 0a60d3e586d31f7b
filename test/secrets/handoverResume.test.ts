import { randomBytes } from 'node:crypto';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { TableLinkStore } from '../../src/adapters/tables/tableLinkStore';
import { IssueSecretLink } from '../../src/app/secrets/issueSecretLink';
import { RevealSecret } from '../../src/app/secrets/revealSecret';
import type { LinkIssuedNotice, SecretLinkNotifier } from '../../src/app/secrets/secretLinkPorts';
import { handoverSecretName } from '../../src/domain/provisioning';
import { approve, submitRequest, type RegistrationRequest } from '../../src/domain/request';
import { ManualClock } from '../support/fakes';
import { InMemorySecretVault } from '../support/provisioningVault';
import { testTables } from '../support/tables';

/** Records the links it is given; `failNext` plays a process that dies before the card is out. */
class RecordingNotifier implements SecretLinkNotifier {
  readonly sent: LinkIssuedNotice[] = [];
  readonly attempted: LinkIssuedNotice[] = [];
  failNext = false;
  reachable = true;
  readonly unreachableNotices: string[] = [];
  async canReach() {
    return this.reachable;
  }
  async unreachable(notice: { requestId: string }) {
    this.unreachableNotices.push(notice.requestId);
  }
  async linkIssued(notice: LinkIssuedNotice) {
    this.attempted.push(notice);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connector unreachable');
    }
    this.sent.push(notice);
  }
  async linkExpired() {}
  async notDelivered() {}
}

const client = { address: '127.0.0.1', userAgent: 'jest' };
const tokenOf = (url: string) => url.split('/').pop()!;

describe('a link whose card may not have been sent', () => {
  const tables = createTableClientFactory(testTables());
  const requests = new TableRequestStore(tables);
  const links = new TableLinkStore(tables);
  const audit = new TableAuditLog(tables);
  const vault = new InMemorySecretVault();
  const clock = new ManualClock(new Date());
  const notifier = new RecordingNotifier();
  const issue = new IssueSecretLink({ requests, links, notifier, audit, clock, settings: { publicUrl: 'https://onboard.example', linkTtlMs: 86_400_000 } });
  const reveal = new RevealSecret({ links, vault, requests, audit, clock });

  async function provisioned(): Promise<RegistrationRequest> {
    const id = `REQ-${randomBytes(4).toString('hex').toUpperCase()}`;
    const now = clock.now();
    const pending = submitRequest({ id, requester: { id: 'u-alex', name: 'Alex Wilber' }, title: 'Miradore', text: 'onboard miradore', plan: {}, planHash: 'a'.repeat(64), risk: 'low', requiredApprovals: 1, expiresAfterMs: 86_400_000 }, now);
    const approved = approve(pending, { id: 'u-megan', name: 'Megan Bowen' }, now);
    if (!approved.ok) throw new Error('not approved');
    const at = now.toISOString();
    const name = handoverSecretName(id);
    await vault.put(name, 'the-secret-value', { contentType: 'text/plain', tags: {}, expiresOn: new Date(now.getTime() + 86_400_000) });
    const request: RegistrationRequest = {
      ...approved.request, state: 'Provisioned',
      provisioning: {
        key: `onboard-${id}`, attempt: 1, startedAt: at, completedAt: at,
        steps: {
          application: { id: 'obj-1', appId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', at },
          password: { keyId: 'key-1', displayName: `Onboard handover ${id}`, endDateTime: at, at },
          vault: { name, expiresAt: new Date(now.getTime() + 86_400_000).toISOString(), at },
        },
      },
    };
    await requests.create(request);
    return request;
  }

  it('is replaced by a fresh link on resume, and the old token opens nothing', async () => {
    const request = await provisioned();
    notifier.failNext = true;
    await expect(issue.execute(request.id)).rejects.toThrow('connector unreachable');
    const lost = tokenOf(notifier.attempted.at(-1)!.url);
    expect((await requests.get(request.id))!.value.handover?.sentAt).toBeUndefined();

    // Another instance does not step on an issue that may still be under way.
    expect(await issue.sweep()).toBe(0);
    clock.advance(3 * 60_000);
    expect(await issue.sweep()).toBe(1);
    expect(notifier.sent).toHaveLength(1);
    const fresh = tokenOf(notifier.sent[0].url);
    expect(fresh).not.toBe(lost);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(notifier.sent[0].recipient.id).toBe('u-alex');

    expect((await reveal.view(lost, client)).kind).toBe('replaced');
    expect((await reveal.execute(lost, client)).kind).toBe('replaced');
    expect((await reveal.view(fresh, client)).kind).toBe('open');
    const stored = (await requests.get(request.id))!.value.handover!;
    expect(stored.sentAt).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(fresh);

    clock.advance(3 * 60_000);
    expect(await issue.sweep()).toBe(0);
    const shown = await reveal.execute(fresh, client);
    expect(shown.kind === 'shown' && shown.value).toBe('the-secret-value');
    expect((await requests.get(request.id))!.value.state).toBe('SecretDelivered');
  });

  it('is not replaced once the old link was revealed (the card had gone out after all)', async () => {
    const request = await provisioned();
    notifier.failNext = true;
    await expect(issue.execute(request.id)).rejects.toThrow();
    const first = tokenOf(notifier.attempted.at(-1)!.url);
    expect((await reveal.execute(first, client)).kind).toBe('shown');
    clock.advance(3 * 60_000);
    const sent = notifier.sent.length;
    await issue.sweep();
    expect(notifier.sent).toHaveLength(sent);
  });

  it('waits, without making links, until the requester has a personal chat, asking them once to open one', async () => {
    const request = await provisioned();
    notifier.reachable = false;
    const sent = notifier.sent.length;
    expect(await issue.execute(request.id)).toBe('busy');
    clock.advance(10 * 60_000);
    await issue.sweep();
    expect(notifier.unreachableNotices.filter((id) => id === request.id)).toHaveLength(1);
    expect(notifier.attempted.filter((n) => n.requestId === request.id)).toHaveLength(0);
    expect((await requests.get(request.id))!.value.handover?.tokenHash).toBeUndefined();

    notifier.reachable = true;
    expect(await issue.sweep()).toBe(1);
    expect(notifier.sent).toHaveLength(sent + 1);
    expect(notifier.sent.at(-1)!.requestId).toBe(request.id);
  });
});
