import type { RegistrationRequest, SecretHandover } from '../../domain/request';
import { recipientOf } from '../../domain/rotation';
import { isConcurrencyConflict } from '../errors';
import type { Clock, Versioned } from '../ports';
import type { AuditLog, RequestStore } from '../workflowPorts';
import { hashLinkToken, linkIdOf, newLinkToken } from './linkToken';
import type { LinkStore, SecretLink, SecretLinkNotifier } from './secretLinkPorts';

export interface IssueSecretLinkSettings {
  /** Where people reach Onboard, e.g. https://onboard.contoso.com; the link is `${publicUrl}/secrets/<token>`. */
  publicUrl: string;
  /** Used when the vault entry's own expiry is not recorded (it normally is: the link expires with it). */
  linkTtlMs: number;
  /** How long an issue in progress (claimed but not yet sent) is left to its instance before another redoes it. */
  claimMs?: number;
}

export interface IssueSecretLinkDeps {
  requests: RequestStore;
  links: LinkStore;
  notifier: SecretLinkNotifier;
  audit: AuditLog;
  clock: Clock;
  settings: IssueSecretLinkSettings;
}

export type IssueOutcome = 'sent' | 'notified' | 'not-needed' | 'busy';

const DEFAULT_CLAIM_MS = 2 * 60_000;

/**
 * After the saga, the secret waits in the vault under the request's name. This makes the one-time link to that
 * entry and sends it, on a card, to the recipient's personal chat (the requester; for a rotation, the app's original
 * requester or the person named on the rotation's card). Only the token's hash is stored. A link whose
 * card may not have been sent (the process died) is replaced by a fresh one on resume: the old token then opens
 * nothing. When the vault refused the secret, it tells the requester and the approvers instead, with Rotate.
 */
export class IssueSecretLink {
  constructor(private readonly deps: IssueSecretLinkDeps) {}

  async execute(requestId: string): Promise<IssueOutcome> {
    const current = await this.deps.requests.get(requestId);
    if (!current || current.value.state !== 'Provisioned') return 'not-needed';
    if (current.value.provisioning?.secretNotDelivered) return this.notDelivered(current);
    if (!owesLink(current.value, this.deps.clock.now(), this.claimMs)) return current.value.handover?.sentAt ? 'not-needed' : 'busy';
    // No link is made that cannot be sent: the sweeper tries again once the requester has a personal chat.
    if (!(await this.deps.notifier.canReach(recipientOf(current.value).id))) return this.unreachable(current.value);
    return this.issue(current);
  }

  /** Every handover still owed (a lost trigger, a crash before the card went out); run by the link sweeper. */
  async sweep(): Promise<number> {
    const now = this.deps.clock.now();
    let done = 0;
    for (const { value } of await this.deps.requests.listInStates(['Provisioned'])) {
      if (!owesLink(value, now, this.claimMs) && !owesNotice(value)) continue;
      const outcome = await this.execute(value.id);
      if (outcome === 'sent' || outcome === 'notified') done++;
    }
    return done;
  }

  private get claimMs(): number {
    return this.deps.settings.claimMs ?? DEFAULT_CLAIM_MS;
  }

  private async issue(current: Versioned<RegistrationRequest>): Promise<IssueOutcome> {
    const { clock, settings, requests } = this.deps;
    const request = current.value;
    const recipient = recipientOf(request);
    const steps = request.provisioning!.steps;
    const now = clock.now();
    const token = newLinkToken();
    const tokenHash = hashLinkToken(token);
    const expiresAt = steps.vault!.expiresAt ?? new Date(now.getTime() + settings.linkTtlMs).toISOString();
    const previous = request.handover?.tokenHash;
    // The request names the link before the link exists: a link row nobody claimed could later expire and
    // withdraw a password that a newer link handed over.
    try {
      await requests.update({ ...request, handover: { tokenHash, issuedAt: now.toISOString(), expiresAt } }, current.etag);
    } catch (error) {
      if (isConcurrencyConflict(error)) return 'busy';
      throw error;
    }
    if (previous && !(await this.retire(previous))) return 'not-needed';
    const plan = (request.plan ?? {}) as { application?: { displayName?: string }; vendor?: string };
    const link: SecretLink = {
      tokenHash, requestId: request.id, recipient,
      appName: plan.application?.displayName ?? request.title, vendor: plan.vendor ?? request.vendor,
      appId: steps.application!.appId, appObjectId: steps.application!.id, keyId: steps.password!.keyId, vaultName: steps.vault!.name,
      createdAt: now.toISOString(), expiresAt, state: 'unused',
    };
    await this.deps.links.create(link);
    const linkId = linkIdOf(tokenHash);
    await this.audit(request, 'secret.link.issued', 'ok', `link ${linkId} for ${recipient.name} (${recipient.id}), password ${link.keyId}, expires ${expiresAt}${previous ? `; replaces link ${linkIdOf(previous)}, whose card may not have been sent` : ''}`);
    await this.deps.notifier.linkIssued({
      requestId: request.id, recipient, appName: link.appName, vendor: link.vendor, appId: link.appId,
      url: `${settings.publicUrl.replace(/\/+$/, '')}/secrets/${token}`, expiresAt, rotation: !!request.rotation,
    });
    await this.markHandover(request.id, (h) => (h.tokenHash === tokenHash ? { ...h, sentAt: clock.now().toISOString() } : undefined));
    await this.audit(request, 'secret.link.sent', 'ok', `link ${linkId} sent to ${recipient.name}'s personal chat`);
    return 'sent';
  }

  /** unused → replaced by compare-and-set; false when the old link was revealed first (nothing more is owed). */
  private async retire(tokenHash: string): Promise<boolean> {
    const old = await this.deps.links.get(tokenHash);
    if (!old) return true;
    if (old.value.state === 'revealed') return false;
    if (old.value.state !== 'unused') return true;
    try {
      await this.deps.links.update({ ...old.value, state: 'replaced', replacedAt: this.deps.clock.now().toISOString() }, old.etag);
      return true;
    } catch (error) {
      if (!isConcurrencyConflict(error)) throw error;
      return this.retire(tokenHash);
    }
  }

  private async unreachable(request: RegistrationRequest): Promise<IssueOutcome> {
    if (!request.handover?.unreachableNoticeAt) {
      await this.deps.notifier.unreachable({ requestId: request.id, requester: recipientOf(request), appName: request.title });
      await this.markHandover(request.id, (h) => (h.unreachableNoticeAt ? undefined : { ...h, unreachableNoticeAt: this.deps.clock.now().toISOString() }));
      await this.audit(request, 'secret.link.waiting', 'ok', `${recipientOf(request).name} has no personal chat with Onboard yet; the link is sent once they open one`);
    }
    return 'busy';
  }

  private async notDelivered(current: Versioned<RegistrationRequest>): Promise<IssueOutcome> {
    const request = current.value;
    if (!owesNotice(request)) return 'not-needed';
    const app = request.provisioning!.steps.application;
    const reason = request.provisioning!.secretNotDelivered!.reason;
    await this.deps.notifier.notDelivered({ requestId: request.id, requester: recipientOf(request), appName: request.title, appId: app?.appId ?? '', reason });
    await this.markHandover(request.id, (h) => (h.notDeliveredNoticeAt ? undefined : { ...h, notDeliveredNoticeAt: this.deps.clock.now().toISOString() }));
    return 'notified';
  }

  private async markHandover(requestId: string, change: (h: SecretHandover) => SecretHandover | undefined): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.deps.requests.get(requestId);
      const next = current && change(current.value.handover ?? {});
      if (!current || !next) return;
      try {
        await this.deps.requests.update({ ...current.value, handover: next }, current.etag);
        return;
      } catch (error) {
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
  }

  /** An audit write that fails must not stop a link from reaching its recipient. */
  private async audit(request: RegistrationRequest, action: string, outcome: 'ok' | 'failed', detail: string): Promise<void> {
    await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: request.id, planHash: request.planHash, correlationId: `handover-${request.id}`, detail }).catch(() => undefined);
  }
}

/** A stored secret whose link has not been sent, and whose last issue (if any) was left unfinished. */
function owesLink(request: RegistrationRequest, now: Date, claimMs: number): boolean {
  const steps = request.provisioning?.steps;
  if (request.state !== 'Provisioned' || !steps?.vault || !steps.password || !steps.application) return false;
  const handover = request.handover ?? {};
  // Past the vault entry's expiry there is nothing left to hand over: the link sweeper withdraws it.
  if (handover.sentAt || (steps.vault.expiresAt && Date.parse(steps.vault.expiresAt) <= now.getTime())) return false;
  return !handover.issuedAt || now.getTime() - Date.parse(handover.issuedAt) >= claimMs;
}

function owesNotice(request: RegistrationRequest): boolean {
  return request.state === 'Provisioned' && !!request.provisioning?.secretNotDelivered && !request.handover?.notDeliveredNoticeAt;
}
