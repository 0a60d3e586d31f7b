import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretVault, SecretVaultEntryOptions } from '../../src/app/secretVaultPort';

export interface VaultEntry {
  value: string;
  contentType: string;
  tags: Record<string, string>;
  expiresOn: string;
}

/**
 * A fake of our own SecretVault port, used here only because the Key Vault adapter is not written yet
 * (next issue); once it is, these tests should use it against the local cloud's Key Vault instead.
 * With `file`, entries also go to a JSON file so a test can see what a killed child process stored.
 */
export class InMemorySecretVault implements SecretVault {
  readonly entries = new Map<string, VaultEntry>();
  puts = 0;

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) for (const [k, v] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, VaultEntry>)) this.entries.set(k, v);
  }

  async put(name: string, value: string, options: SecretVaultEntryOptions): Promise<void> {
    this.puts++;
    this.entries.set(name, { value, contentType: options.contentType, tags: { ...options.tags }, expiresOn: options.expiresOn.toISOString() });
    this.save();
  }

  async read(name: string): Promise<string | undefined> {
    return this.entries.get(name)?.value;
  }

  async destroy(name: string): Promise<void> {
    this.entries.delete(name);
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    // Written whole and renamed, so a SIGKILL never leaves half a file.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(Object.fromEntries(this.entries)));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

/** Reads what a child process's vault file holds. */
export function readVaultFile(file: string): Record<string, VaultEntry> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, VaultEntry>) : {};
}
