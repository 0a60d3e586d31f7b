import { SecretClient } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import type { SecretVault, SecretVaultEntryOptions } from '../../app/secretVaultPort';
import type { HealthProbe } from '../../app/ports';

export interface KeyVaultSecretVaultOptions {
  /**
   * Only for the local cloud: its challenge names https://vault.azure.net as the resource while the vault lives
   * on localhost, which the SDK rightly refuses unless told otherwise. Never for a real vault.
   */
  disableChallengeResourceVerification?: boolean;
  /** How often the delete poller asks whether the soft delete is done, before purging (the SDK's default is 2 s). */
  deletePollMs?: number;
  /** The SDK's own retries; callers retry whole operations on top, so these stay short. */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** How long a set waits for a purge of the same name to finish (409 ObjectIsBeingDeleted); default 60 s. */
  purgeWaitMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Key Vault names allow letters, digits and dashes only. */
export function vaultName(name: string): string {
  return name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 127);
}

/** True when the vault is on this machine: only then may the local cloud's challenge be trusted. */
export function isLoopbackVault(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/**
 * What leaves this adapter on failure: the operation, the entry's name and the status. Nothing the SDK attached
 * (request, response, body) comes along, so no caller can log more than this by accident.
 */
export class VaultOperationError extends Error {
  constructor(readonly operation: string, readonly entry: string, readonly status?: number, readonly code?: string) {
    super(`Key Vault ${operation} of ${entry} failed${status ? ` with HTTP ${status}` : ''}${code ? ` (${code})` : ''}`);
    this.name = 'VaultOperationError';
  }
}

const statusOf = (error: unknown) => (error as { statusCode?: number })?.statusCode;
const codeOf = (error: unknown) => (error as { code?: string })?.code;

/**
 * A disabled entry is 403; so is a missing role, which must not pass for "gone". Expired entries are readable in Key
 * Vault (about-secrets#date-time-controlled-operations): Onboard's own link expiry is what stops a late reveal.
 */
const unreadable = (error: unknown) => statusOf(error) === 403 && /disabled secret/i.test((error as Error)?.message ?? '');

/** The SecretVault port on Azure Key Vault (RBAC; Onboard holds Key Vault Secrets Officer). The api-version is the pinned SDK's. */
export class KeyVaultSecretVault implements SecretVault {
  private readonly client: SecretClient;

  constructor(vaultUrl: string, credential: TokenCredential, private readonly options: KeyVaultSecretVaultOptions = {}) {
    // A vault on loopback can only be the local cloud, in whichever profile (test/deploy starts the azure profile against it).
    const localChallenge = options.disableChallengeResourceVerification || isLoopbackVault(vaultUrl);
    this.client = new SecretClient(vaultUrl, credential, {
      ...(localChallenge ? { disableChallengeResourceVerification: true } : {}),
      retryOptions: { maxRetries: 2, retryDelayInMs: 400, maxRetryDelayInMs: 4_000, ...options.retry },
    });
  }

  async put(name: string, value: string, options: SecretVaultEntryOptions): Promise<void> {
    const id = vaultName(name);
    const set = () => this.client.setSecret(id, value, { contentType: options.contentType, tags: options.tags, expiresOn: options.expiresOn });
    try {
      await set();
    } catch (error) {
      // A name left soft-deleted by an interrupted destroy is refused until purged; purging is what destroy meant.
      if (statusOf(error) !== 409) throw this.failure('set', id, error);
      await this.purge(id);
      await this.setOncePurged(id, set);
    }
  }

  /**
   * A purge finishes asynchronously: until it does, a set of the same name is 409 ObjectIsBeingDeleted ("… is
   * currently being deleted and cannot be re-created; retry later", https://github.com/Azure/azure-sdk-for-net/issues/26027
   * reports one to five seconds). Waits with backoff, within purgeWaitMs.
   */
  private async setOncePurged(id: string, set: () => Promise<unknown>): Promise<void> {
    const deadline = Date.now() + (this.options.purgeWaitMs ?? 60_000);
    for (let delay = 250; ; delay = Math.min(delay * 2, 4_000)) {
      try {
        await set();
        return;
      } catch (error) {
        if (statusOf(error) !== 409 || Date.now() + delay > deadline) throw this.failure('set', id, error);
      }
      await sleep(delay);
    }
  }

  async read(name: string): Promise<string | undefined> {
    const id = vaultName(name);
    try {
      return (await this.client.getSecret(id)).value;
    } catch (error) {
      if (statusOf(error) === 404 || unreadable(error)) return undefined;
      throw this.failure('get', id, error);
    }
  }

  /** Delete, wait for the soft delete, then purge: a one-time secret must not be recoverable. */
  async destroy(name: string): Promise<void> {
    const id = vaultName(name);
    try {
      const poller = await this.client.beginDeleteSecret(id, { intervalInMs: this.options.deletePollMs ?? 250 });
      await poller.pollUntilDone();
    } catch (error) {
      // 404: never stored, or deleted earlier but perhaps not purged; the purge settles both.
      if (statusOf(error) !== 404) throw this.failure('delete', id, error);
    }
    await this.purge(id);
  }

  /** `vault` on /healthz: a one-name page proves reachability, the token and the role, without touching any value. */
  probe(): HealthProbe {
    return {
      name: 'vault',
      check: async () => {
        try {
          await this.client.listPropertiesOfSecrets().byPage({ maxPageSize: 1 }).next();
          return { state: 'ok' };
        } catch (error) {
          const status = statusOf(error);
          if (status === 401 || status === 403) return { state: 'degraded', detail: `HTTP ${status}: Onboard's identity needs the Key Vault Secrets Officer role on the vault` };
          return { state: 'unreachable', detail: status ? `HTTP ${status}` : (codeOf(error) ?? 'no answer') };
        }
      },
    };
  }

  private async purge(id: string): Promise<void> {
    try {
      await this.client.purgeDeletedSecret(id);
    } catch (error) {
      if (statusOf(error) !== 404) throw this.failure('purge', id, error);
    }
  }

  private failure(operation: string, id: string, error: unknown): VaultOperationError {
    return new VaultOperationError(operation, id, statusOf(error), codeOf(error));
  }
}
