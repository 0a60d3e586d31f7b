import { renderFollowUps } from '../../domain/plan';
import type { RegistrationRequest } from '../../domain/request';
import { isConcurrencyConflict } from '../errors';
import type { Clock, Versioned } from '../ports';
import type { SecretVault } from '../secretVaultPort';
import type { AuditLog, RequestNotifier, RequestStore } from '../workflowPorts';
import { hashLinkToken, linkIdOf, sameHash } from './linkToken';
import { markSecretDelivered } from './requestDelivery';
import { describeClient, type ClientInfo, type LinkStore, type SecretLink } from './secretLinkPorts';
import { isRecipient, type SignedInPerson } from './linkSignIn';

export type LinkStatus =
  | { kind: 'not-found' }
  | { kind: 'open'; link: SecretLink }
  | { kind: 'revealed'; link: SecretLink; at: string }
  | { kind: 'expired'; link: SecretLink; at: string }
  /** Issued again because its card may not have been sent; the newer link works. */
  | { kind: 'replaced'; link: SecretLink; at: string };

/** Everything the requester passes on to the vendor, besides the value. */
export interface Handover {
  appName: string;
  vendor?: string;
  appId: string;
  tenant: { id?: string; name?: string };
  /** The vendor's next steps with the real ids filled in. */
  nextSteps: string[];
  /** What the vendor asks for, in the vendor's words. */
  fields: string[];
  /** When the client secret itself stops working. */
  secretExpiresAt?: string;
}

export type RevealOutcome =
  | Exclude<LinkStatus, { kind: 'open' }>
  | { kind: 'shown'; link: SecretLink; value: string; handover: Handover }
  /** The vault no longer held the value; the password is withdrawn and the requester can ask for a rotation. */
  | { kind: 'gone'; link: SecretLink }
  /** The vault did not answer; the link was put back, so trying again later works. */
  | { kind: 'unavailable'; link: SecretLink }
  /** Sign-in is required and the visitor is not the signed-in recipient; nothing was used up. */
  | { kind: 'sign-in-required'; link: SecretLink };

export interface RevealSecretDeps {
  links: LinkStore;
  vault: SecretVault;
  requests: RequestStore;
  audit: AuditLog;
  clock: Clock;
  /** The directory's id and name when the request does not record them (a request provisioned before they were kept). */
  tenant?: () => Promise<{ id?: string; name?: string } | undefined>;
  log?: { warn(object: object, message: string): void };
  /** Brings the request's cards in chat up to date ("secret delivered"); the reveal never waits on a failure of it. */
  cards?: Pick<RequestNotifier, 'changed'>;
  /** SECRET_LINK_SIGNIN=required: only the link's recipient, signed in to this tenant, may reveal. */
  recipientOnly?: { tenantId: string };
}

/**
 * The link's two verbs. `view` (GET, HEAD) only reads, so link previews and safe-link scanners can open it
 * as often as they like. `execute` (POST) reveals once: compare-and-set unused → revealed, so of any number of
 * concurrent clicks exactly one proceeds; then the vault is read, and the entry deleted and purged.
 */
export class RevealSecret {
  constructor(private readonly deps: RevealSecretDeps) {}

  async view(token: string, client: ClientInfo): Promise<LinkStatus> {
    const status = this.status(await this.find(token));
    if (status.kind !== 'not-found') await this.audit(status.link, 'secret.link.viewed', status.kind === 'open' ? 'ok' : 'refused', `${describeClient(client)}; link ${status.kind}`);
    return status;
  }

  /** The link's state, with no audit event: for the sign-in, which audits its own outcome. */
  async lookup(token: string): Promise<LinkStatus> {
    return this.status(await this.find(token));
  }

  /** `viewer`: who signed in on this link's page, when sign-in is on. Checked here too, so no edge can skip it. */
  async execute(token: string, client: ClientInfo, viewer?: SignedInPerson): Promise<RevealOutcome> {
    const found = await this.find(token);
    const status = this.status(found);
    if (status.kind !== 'open') return this.refused(status, client);
    const only = this.deps.recipientOnly;
    if (only && (!viewer || !isRecipient(status.link, viewer, only.tenantId))) {
      await this.audit(status.link, 'secret.revealed', 'refused', `${describeClient(client)}; ${viewer ? `signed in as ${viewer.name} <${viewer.username}>, not the recipient` : 'not signed in'}; the link was not used`);
      return { kind: 'sign-in-required', link: status.link };
    }
    const { clock, links, vault } = this.deps;
    const original = found!.value;
    const now = clock.now().toISOString();
    let claimed: Versioned<SecretLink>;
    try {
      claimed = await links.update({ ...original, state: 'revealed', revealedAt: now, cleanup: {} }, found!.etag);
    } catch (error) {
      if (!isConcurrencyConflict(error)) throw error;
      const after = this.status(await this.find(token));
      return after.kind === 'open' ? { kind: 'unavailable', link: original } : this.refused(after, client);
    }

    let value: string | undefined;
    try {
      value = await vault.read(original.vaultName);
    } catch (error) {
      await links.update(original, claimed.etag).catch(() => undefined);
      await this.audit(original, 'secret.revealed', 'failed', `${describeClient(client)}; the vault did not answer (${(error as { status?: number }).status ?? 'no status'}); the link was left unused`);
      return { kind: 'unavailable', link: original };
    }
    if (value === undefined) {
      // The sweeper removes the password that nobody can now receive, and tells the requester.
      await links.update({ ...claimed.value, state: 'expired', expiredAt: now }, claimed.etag).catch(() => undefined);
      await this.audit(original, 'secret.revealed', 'failed', `${describeClient(client)}; the vault no longer holds the secret; its password will be removed`);
      return { kind: 'gone', link: original };
    }

    let link = claimed.value;
    try {
      await vault.destroy(original.vaultName);
      link = (await links.update({ ...link, cleanup: { vaultPurgedAt: clock.now().toISOString() } }, claimed.etag)).value;
    } catch {
      await this.audit(original, 'secret.purged', 'failed', `vault entry ${original.vaultName} is still there; the link sweeper retries`);
    }
    await this.audit(original, 'secret.revealed', 'ok', describeClient(client));
    const request = await markSecretDelivered(this.deps.requests, clock, original.requestId).catch(() => undefined);
    if (request) await this.deps.cards?.changed(request, '').catch((error: Error) => this.deps.log?.warn({ requestId: request.id, error: error.name }, 'request cards not updated after the reveal'));
    return { kind: 'shown', link, value, handover: await this.handover(link, request) };
  }

  private async find(token: string): Promise<Versioned<SecretLink> | undefined> {
    const hash = hashLinkToken(token);
    const found = await this.deps.links.get(hash);
    return found && sameHash(found.value.tokenHash, hash) ? found : undefined;
  }

  private status(found: Versioned<SecretLink> | undefined): LinkStatus {
    if (!found) return { kind: 'not-found' };
    const link = found.value;
    if (link.state === 'revealed') return { kind: 'revealed', link, at: link.revealedAt ?? link.createdAt };
    if (link.state === 'replaced') return { kind: 'replaced', link, at: link.replacedAt ?? link.createdAt };
    if (link.state === 'expired' || this.deps.clock.now().getTime() >= Date.parse(link.expiresAt)) return { kind: 'expired', link, at: link.expiredAt ?? link.expiresAt };
    return { kind: 'open', link };
  }

  private async refused(status: Exclude<LinkStatus, { kind: 'open' }>, client: ClientInfo): Promise<RevealOutcome> {
    if (status.kind !== 'not-found') await this.audit(status.link, 'secret.revealed', 'refused', `${describeClient(client)}; link ${status.kind} at ${status.at}`);
    return status;
  }

  private async handover(link: SecretLink, request: RegistrationRequest | undefined): Promise<Handover> {
    const plan = (request?.plan ?? {}) as { followUps?: unknown; handover?: unknown };
    const recorded = request?.provisioning?.tenant;
    const tenant = recorded ? { id: recorded.id, name: recorded.displayName } : ((await this.deps.tenant?.().catch(() => undefined)) ?? {});
    const texts = (list: unknown) => (Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : []);
    const password = request?.provisioning?.steps.password;
    return {
      appName: link.appName, vendor: link.vendor, appId: link.appId, tenant,
      nextSteps: renderFollowUps({ followUps: texts(plan.followUps) }, { appId: link.appId, tenantId: tenant.id ?? '<Directory ID>', tenantName: tenant.name ?? '<directory name>' }),
      fields: texts(plan.handover),
      secretExpiresAt: password?.keyId === link.keyId ? password.endDateTime : undefined,
    };
  }

  /** A failed audit write is logged, never thrown: once the vault entry is purged, the value must still reach the page. */
  private async audit(link: SecretLink, action: string, outcome: 'ok' | 'refused' | 'failed', detail: string): Promise<void> {
    const correlationId = `link-${linkIdOf(link.tokenHash)}`;
    await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: link.requestId, correlationId, detail })
      .catch((error: Error) => this.deps.log?.warn({ requestId: link.requestId, correlationId, action, error: error.name }, 'audit event not written'));
  }
}
