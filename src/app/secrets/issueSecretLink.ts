import { backoffDelayMs } from '../../domain/provisioning';
import type { Person, RegistrationRequest } from '../../domain/request';
import type { Clock } from '../ports';
import type { SecretVault } from '../secretVaultPort';
import type { AuditLog } from '../workflowPorts';
import { hashLinkToken, linkIdOf, linkVaultName, newLinkToken } from './linkToken';
import type { LinkStore, SecretLink } from './secretLinkPorts';

export interface IssueSecretLinkInput {
  request: RegistrationRequest;
  appId: string;
  keyId: string;
  /** The value Graph returned once. It goes to the vault and nowhere else. */
  secretText: string;
  recipient: Person;
  /** The application's object id, when known: the expiry clean-up removes the password with it. */
  appObjectId?: string;
  correlationId?: string;
}

/**
 * `url` is a bearer credential for the secret until it is revealed or expires: put it on the requester's card,
 * never in a log line, a table row or an error message.
 */
export type IssueSecretLinkResult =
  | { ok: true; url: string; expiresAt: string; vaultName: string; linkId: string }
  | { ok: false; reason: 'vault-unavailable' | 'link-not-saved'; message: string };

export interface IssueSecretLinkSettings {
  /** Where people reach Onboard, e.g. https://onboard.contoso.com; the link is `${publicUrl}/secrets/<token>`. */
  publicUrl: string;
  linkTtlMs: number;
  /** Whole attempts at storing the value (each already retried briefly by the SDK). */
  attempts?: number;
  backoff?: { baseMs?: number; capMs?: number };
}

export interface IssueSecretLinkDeps {
  vault: SecretVault;
  links: LinkStore;
  audit: AuditLog;
  clock: Clock;
  settings: IssueSecretLinkSettings;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const statusText = (error: unknown) => {
  const status = (error as { status?: number; statusCode?: number })?.status ?? (error as { statusCode?: number })?.statusCode;
  return status ? `HTTP ${status}` : 'no answer';
};

/**
 * Puts a freshly issued client secret in the vault and makes the one-time link to it. On failure nothing is
 * left behind that the saga would have to know about, and the result says so: the saga then removes the password
 * from the app and marks the request "secret not delivered", so no live secret exists that nobody holds.
 */
export class IssueSecretLink {
  constructor(private readonly deps: IssueSecretLinkDeps) {}

  async execute(input: IssueSecretLinkInput): Promise<IssueSecretLinkResult> {
    const { clock, settings } = this.deps;
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + settings.linkTtlMs);
    const vaultName = linkVaultName(input.request.id, input.keyId);
    const correlationId = input.correlationId ?? `secret-${input.request.id}-${input.keyId.slice(0, 8)}`;

    const stored = await this.withRetries(() => this.deps.vault.put(vaultName, input.secretText, {
      contentType: 'text/plain; charset=utf-8', expiresOn: expiresAt, tags: { requestId: input.request.id, appId: input.appId, keyId: input.keyId },
    }));
    if (stored !== true) {
      // The last attempt may have landed even though its answer was lost; an orphan must not outlive the failure.
      await this.deps.vault.destroy(vaultName).catch(() => undefined);
      const message = `Key Vault did not take the client secret after ${this.attempts} attempts (last answer: ${statusText(stored)}).`;
      await this.audit(input, 'secret.stored', 'failed', correlationId, message);
      return { ok: false, reason: 'vault-unavailable', message };
    }

    const token = newLinkToken();
    const plan = (input.request.plan ?? {}) as { vendor?: string; displayName?: string; application?: { displayName?: string } };
    const link: SecretLink = {
      tokenHash: hashLinkToken(token), requestId: input.request.id, recipient: input.recipient,
      appName: plan.application?.displayName ?? plan.displayName ?? input.request.title, vendor: input.request.vendor ?? plan.vendor,
      appId: input.appId, appObjectId: input.appObjectId, keyId: input.keyId, vaultName,
      createdAt: now.toISOString(), expiresAt: expiresAt.toISOString(), state: 'unused',
    };
    const saved = await this.withRetries(() => this.deps.links.create(link));
    if (saved !== true) {
      await this.deps.vault.destroy(vaultName).catch(() => undefined);
      const message = `The one-time link could not be saved (${statusText(saved)}); the secret was withdrawn from the vault.`;
      await this.audit(input, 'secret.link.issued', 'failed', correlationId, message);
      return { ok: false, reason: 'link-not-saved', message };
    }
    const linkId = linkIdOf(link.tokenHash);
    await this.audit(input, 'secret.link.issued', 'ok', correlationId, `link ${linkId} for ${input.recipient.name} (${input.recipient.id}), password ${input.keyId}, vault entry ${vaultName}, expires ${link.expiresAt}`);
    return { ok: true, url: `${settings.publicUrl.replace(/\/+$/, '')}/secrets/${token}`, expiresAt: link.expiresAt, vaultName, linkId };
  }

  private get attempts(): number {
    return Math.max(1, this.deps.settings.attempts ?? 3);
  }

  /** true once `work` succeeds; otherwise the last error, after bounded, jittered backoff. */
  private async withRetries(work: () => Promise<unknown>): Promise<true | unknown> {
    const { sleep = sleepFor, random = Math.random, settings } = this.deps;
    let last: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await sleep(backoffDelayMs(attempt - 1, random(), { baseMs: 500, capMs: 4_000, ...settings.backoff }));
      try {
        await work();
        return true;
      } catch (error) {
        last = error ?? new Error('failed');
      }
    }
    return last;
  }

  /** An audit write that fails must not turn a working link, or a reported failure, into an exception. */
  private async audit(input: IssueSecretLinkInput, action: string, outcome: 'ok' | 'failed', correlationId: string, detail: string): Promise<void> {
    await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: input.request.id, planHash: input.request.planHash, correlationId, detail }).catch(() => undefined);
  }
}
