import { backoffDelayMs } from '../../domain/provisioning';
import type { SecretVault, SecretVaultEntryOptions } from '../secretVaultPort';

export interface VaultRetry {
  /** Whole attempts (each already retried briefly by the SDK); default 4. */
  attempts?: number;
  baseMs?: number;
  capMs?: number;
}

/**
 * Puts a fresh secret in the vault with bounded, jittered retries. Resolves undefined once stored, or the reason
 * in words (status only, never the value) when every attempt failed. `beforeAttempt` lets the saga stop if its
 * lease was lost meanwhile.
 */
export async function storeHandoverSecret(
  vault: SecretVault, name: string, value: string, options: SecretVaultEntryOptions,
  retry: VaultRetry & { sleep: (ms: number) => Promise<void>; random: () => number; beforeAttempt?: () => void },
): Promise<string | undefined> {
  const attempts = Math.max(1, retry.attempts ?? 4);
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    retry.beforeAttempt?.();
    if (attempt > 0) await retry.sleep(backoffDelayMs(attempt - 1, retry.random(), { baseMs: retry.baseMs ?? 500, capMs: retry.capMs ?? 8_000 }));
    try {
      await vault.put(name, value, options);
      return undefined;
    } catch (error) {
      last = error;
    }
  }
  const status = (last as { status?: number })?.status;
  return `Key Vault did not take the client secret after ${attempts} attempts (${status ? `HTTP ${status}` : 'no answer'})`;
}
