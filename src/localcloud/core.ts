import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractViolation } from './contracts/contracts';
import { Consistency, CONSISTENCY_RULE_ID, type ConsistencyOptions } from './consistency';
import { FaultInjector, type FaultRule } from './faults';
import { newClientSecret } from './ids';
import { SigningKey } from './jwt';
import type { TenantState } from './model';
import { buildSeedState } from './seed';
import { SEED } from './seedIds';
import { StateStore } from './store';

export type ContractMode = 'off' | 'enforce';

/** Real purges take one to several seconds (https://github.com/Azure/azure-sdk-for-net/issues/26027); 2 s keeps tests quick. */
export const DEFAULT_PURGE_DELAY_MS = 2_000;

export interface CoreOptions {
  dataDir: string;
  reset: boolean;
  contracts: ContractMode;
  faults: FaultRule[];
  /** How long a Key Vault purge takes to finish (0: at once). */
  purgeDelayMs?: number;
  consistency?: ConsistencyOptions;
}

/**
 * What every service handler shares: the tenant state and its persistence, the token-signing key, fault
 * injection and the contract-violation record. One per running local cloud.
 */
export class Core {
  readonly store: StateStore;
  readonly signingKey: SigningKey;
  readonly faults = new FaultInjector();
  readonly violations: ContractViolation[] = [];
  readonly contracts: ContractMode;
  readonly botSecret: string;
  readonly workerSecret: string;
  readonly dataDir: string;
  /** Every Graph and Key Vault request, by the calling app's client id (from its token), for tests that check who wrote what. */
  readonly requestsByClient = new Map<string, { method: string; path: string }[]>();
  readonly purgeDelayMs: number;
  readonly consistency: Consistency;
  /** Lower-cased secret names whose purge is still running → when it ends (ms); lost on restart, like a finished purge. */
  readonly purging = new Map<string, number>();

  constructor(options: CoreOptions) {
    this.dataDir = options.dataDir;
    mkdirSync(options.dataDir, { recursive: true });
    this.contracts = options.contracts;
    this.purgeDelayMs = options.purgeDelayMs ?? DEFAULT_PURGE_DELAY_MS;
    this.consistency = new Consistency(options.consistency);
    this.signingKey = SigningKey.load(options.dataDir);
    this.botSecret = ensureBotCredentials(options.dataDir).clientSecret;
    this.workerSecret = ensureWorkerCredentials(options.dataDir).clientSecret;
    if (options.reset) StateStore.remove(options.dataDir);
    const loaded = StateStore.load(options.dataDir);
    this.store = new StateStore(options.dataDir, loaded ?? buildSeedState({ now: Date.now(), botSecret: this.botSecret, workerSecret: this.workerSecret }));
    if (!loaded) this.store.flushSync();
    this.faults.set(options.faults);
  }

  get state(): TenantState {
    return this.store.state;
  }

  now(): number {
    return Date.now();
  }

  /** Replication lag for an object a request creates: a fault rule's, else eventual consistency's. */
  lagFor(method: string, path: string): { ms: number; ruleId: string } | undefined {
    return this.faults.lagFor(method, path) ?? this.consistency.lagFor();
  }

  /** A request failed on a lagging object: counted against its fault rule, or as eventual consistency. */
  countLag(ruleId: string): void {
    if (ruleId === CONSISTENCY_RULE_ID) this.consistency.countFailure();
    else this.faults.count(ruleId, 'replicationLag');
  }

  /** Called by every handler that changed the state. */
  changed(): void {
    this.store.scheduleSave();
  }

  async reset(): Promise<void> {
    this.store.state = buildSeedState({ now: this.now(), botSecret: this.botSecret, workerSecret: this.workerSecret });
    await this.store.flush();
  }
}

/**
 * The bot's client credentials in this tenant. Entra keeps only a hint, so the secret the seed made is kept
 * beside the state, the way an administrator would keep it in a password manager; reset reuses it so a running
 * bot keeps working. Exported so a launcher can start the bot while the local cloud is still starting.
 */
export function ensureBotCredentials(dataDir: string): { clientId: string; clientSecret: string } {
  return ensureCredentials(dataDir, 'bot-credentials.json', SEED.bot.appId);
}

/** The same for the provisioning worker, the identity that holds the Graph write roles. */
export function ensureWorkerCredentials(dataDir: string): { clientId: string; clientSecret: string } {
  return ensureCredentials(dataDir, 'worker-credentials.json', SEED.worker.appId);
}

function ensureCredentials(dataDir: string, name: string, clientId: string): { clientId: string; clientSecret: string } {
  const file = join(dataDir, name);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { clientSecret?: string; clientId?: string };
    if (saved.clientId === clientId && typeof saved.clientSecret === 'string') return { clientId, clientSecret: saved.clientSecret };
  }
  mkdirSync(dataDir, { recursive: true });
  const clientSecret = newClientSecret();
  writeFileSync(file, JSON.stringify({ clientId, clientSecret }, null, 2) + '\n', { mode: 0o600 });
  return { clientId, clientSecret };
}
