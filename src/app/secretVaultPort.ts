/**
 * Where a client secret waits between provisioning and its one-time reveal. Nothing else ever
 * holds the value: not the request, not a log line, not a card.
 */
export interface SecretVaultEntryOptions {
  contentType: string;
  tags: Record<string, string>;
  expiresOn: Date;
}

export interface SecretVault {
  /** Stores (or replaces) the value under `name`. */
  put(name: string, value: string, options: SecretVaultEntryOptions): Promise<void>;
  /** The value, or undefined when there is none (never stored, already taken, or expired). */
  read(name: string): Promise<string | undefined>;
  /** Deletes and purges, so the value cannot be recovered from soft delete. Absent is fine. */
  destroy(name: string): Promise<void>;
}
