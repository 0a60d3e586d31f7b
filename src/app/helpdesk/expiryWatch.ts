import type { Clock } from '../ports';
import type { AuditLog } from '../workflowPorts';
import type { ExpiringCredential, ListExpiringSecrets } from './listExpiringSecrets';

/** Where the daily list goes: the approvers channel, in production. */
export interface ExpiryWatchPoster {
  post(expiring: ExpiringCredential[], days: number): Promise<'posted' | 'no-channel'>;
}

interface Log {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface ExpiryWatchDeps {
  list: ListExpiringSecrets;
  poster: ExpiryWatchPoster;
  audit: AuditLog;
  clock: Clock;
  /** Secrets ending within this many days are listed. */
  days: number;
  log?: Log;
}

export type WatchOutcome = { kind: 'posted'; count: number } | { kind: 'nothing-expiring' } | { kind: 'already-ran-today' } | { kind: 'no-channel'; count: number };

/**
 * Once a (UTC) day, posts the secrets of Onboard-made apps that expire soon to the approvers channel, with
 * Rotate buttons. The day's run is recorded in the audit log, which every instance reads before posting, so a
 * restart or a second instance does not post the list again (two instances starting the same second might).
 */
export class ExpiryWatch {
  private timer?: NodeJS.Timeout;
  private running?: Promise<WatchOutcome>;

  constructor(private readonly deps: ExpiryWatchDeps, private readonly intervalMs = 3_600_000) {}

  start(): void {
    void this.runOnce().catch(() => undefined);
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  runOnce(): Promise<WatchOutcome> {
    this.running ??= this.run().catch((error) => {
      this.deps.log?.warn({ err: error }, 'secret expiry watch failed; trying again within the hour');
      throw error;
    }).finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<WatchOutcome> {
    const now = this.deps.clock.now();
    const marker = `WATCH-${now.toISOString().slice(0, 10)}`;
    if ((await this.deps.audit.forRequest(marker)).some((e) => e.action === 'expiry-watch' && e.outcome === 'ok')) return { kind: 'already-ran-today' };
    const expiring = await this.deps.list.execute({ days: this.deps.days });
    const record = (detail: string) => this.deps.audit.append({ at: now.toISOString(), action: 'expiry-watch', outcome: 'ok', requestId: marker, correlationId: marker, detail });
    if (!expiring.length) {
      await record(`no secret of an Onboard-made app ends within ${this.deps.days} days`);
      return { kind: 'nothing-expiring' };
    }
    const where = await this.deps.poster.post(expiring, this.deps.days);
    if (where === 'no-channel') {
      // Not recorded: once an approver sets the channel, the next hourly tick posts the list.
      this.deps.log?.warn({ count: expiring.length }, 'secrets are expiring but no approvals channel is set; type "set approvals channel" in one');
      return { kind: 'no-channel', count: expiring.length };
    }
    await record(`${expiring.length} expiring credential(s) posted to the approvers channel`);
    this.deps.log?.info({ count: expiring.length }, 'secret expiry watch posted');
    return { kind: 'posted', count: expiring.length };
  }
}
