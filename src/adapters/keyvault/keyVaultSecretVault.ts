import { SecretClient } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import type { SecretVault, SecretVaultEntryOptions } from '../../app/secretVaultPort';
import type { HealthProbe } from '../../app/ports';

export interface KeyVaultSecretVaultOptions {
  /** Only for the local cloud, whose challenge names a resource on localhost. */
  disableChallengeResourceVerification?: boolean;
  /** How long to wait for a delete to finish before purging. */
  deletePollMs?: number;
}

/** Key Vault names allow letters, digits and dashes only. */
export function vaultName(name: string): string {
  return name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 127);
}

/** The SecretVault port on Azure Key Vault (RBAC; Onboard holds Key Vault Secrets Officer). */
export class KeyVaultSecretVault implements SecretVault {
  private readonly client: SecretClient;

  constructor(vaultUrl: string, credential: TokenCredential, private readonly options: KeyVaultSecretVaultOptions = {}) {
    this.client = new SecretClient(vaultUrl, credential, { disableChallengeResourceVerification: options.disableChallengeResourceVerification });
  }

  async put(name: string, value: string, options: SecretVaultEntryOptions): Promise<void> {
    await this.client.setSecret(vaultName(name), value, { contentType: options.contentType, tags: options.tags, expiresOn: options.expiresOn });
  }

  async read(name: string): Promise<string | undefined> {
    try {
      return (await this.client.getSecret(vaultName(name))).value;
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 403) return undefined;
      throw error;
    }
  }

  /** Delete, wait for the soft delete, then purge: a one-time secret must not be recoverable. */
  async destroy(name: string): Promise<void> {
    const id = vaultName(name);
    try {
      const poller = await this.client.beginDeleteSecret(id, { intervalInMs: this.options.deletePollMs ?? 500 });
      await poller.pollUntilDone();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    try {
      await this.client.purgeDeletedSecret(id);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  probe(): HealthProbe {
    return {
      name: 'vault',
      check: async () => {
        try {
          await this.client.getSecret('onboard-health-probe');
          return { state: 'ok' };
        } catch (error) {
          const status = statusOf(error);
          return status === 404 ? { state: 'ok' } : { state: 'unreachable', detail: status ? `HTTP ${status}` : (error as Error).message };
        }
      },
    };
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}
