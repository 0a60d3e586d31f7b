import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApprovalSigner } from '../../app/approvals/approvalSigner';
import type { SecretVault } from '../../app/secretVaultPort';

export const APPROVAL_KEY_NAME = 'onboard-approval-key';
const TEN_YEARS_MS = 10 * 365 * 86_400_000;

export interface VaultApprovalSignerOptions {
  /** Local profile: make the key at first use when the vault has none. In Azure the deploy script makes it (docs/deploy.md). */
  createIfMissing: boolean;
  /** How long a read key is reused before the vault is asked again (default one minute). */
  cacheMs?: number;
  now?: () => number;
}

/**
 * HMAC-SHA256 with the approval key from the vault. The key is read, not cached for long, so the bot and the
 * worker use whatever the vault holds now; a verification that fails is tried once more with a fresh read,
 * in case the key was just rotated or made by the other process.
 */
export class VaultApprovalSigner implements ApprovalSigner {
  private cached?: { at: number; key: Promise<Buffer> };

  constructor(private readonly vault: Pick<SecretVault, 'read' | 'put'>, private readonly options: VaultApprovalSignerOptions) {}

  async sign(payload: string): Promise<string> {
    return mac(await this.key(), payload);
  }

  async verify(payload: string, given: string): Promise<boolean> {
    if (matches(mac(await this.key(), payload), given)) return true;
    this.cached = undefined;
    return matches(mac(await this.key(), payload), given);
  }

  /** Makes sure the key exists (the local profile's first start). */
  async ensureKey(): Promise<void> {
    await this.key();
  }

  private key(): Promise<Buffer> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.at < (this.options.cacheMs ?? 60_000)) return this.cached.key;
    const key = this.load();
    this.cached = { at: now, key };
    key.catch(() => (this.cached = undefined));
    return key;
  }

  private async load(): Promise<Buffer> {
    let value = await this.vault.read(APPROVAL_KEY_NAME);
    if (!value && this.options.createIfMissing) {
      await this.vault.put(APPROVAL_KEY_NAME, randomBytes(32).toString('base64'), { contentType: 'application/octet-stream; onboard=approval-key', tags: { purpose: 'approval-hmac' }, expiresOn: new Date(Date.now() + TEN_YEARS_MS) });
      // Read back: if two processes made one at once, both now use the one that stayed.
      value = await this.vault.read(APPROVAL_KEY_NAME);
    }
    if (!value) throw new Error(`Key Vault holds no ${APPROVAL_KEY_NAME}; the deploy script creates it (docs/deploy.md).`);
    return Buffer.from(value, 'base64');
  }
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload, 'utf8').digest('base64url');

function matches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(typeof given === 'string' ? given : '');
  return a.length === b.length && timingSafeEqual(a, b);
}
