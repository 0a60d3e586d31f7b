import type { Onboard, Worker } from '../../src/compose';
import type { Handoff } from '../../src/compose/handoff';
import type { Signal } from '../../src/app/handoff/handoffPorts';
import type { TableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableNoticeBox, noticeSchema, orderSchema } from '../../src/adapters/tables/tableHandoff';

/** A signal that runs its watcher at once instead of being polled: tests then wait on events, not on time. */
class DirectSignal implements Signal {
  private count = 0;
  target?: { runOnce(): Promise<unknown> };

  async poke(): Promise<void> {
    this.count++;
    void this.target?.runOnce();
  }

  async version(): Promise<string | undefined> {
    return this.count ? String(this.count) : undefined;
  }
}

/**
 * The bot and the worker in one test process, handing off as in production (the notices go through Table
 * Storage) but woken directly. `connect` once both are composed.
 */
export function inProcessHandoff(tables: TableClientFactory): { handoff: Handoff; connect(bot: Onboard, worker: Worker): void } {
  const worker = new DirectSignal();
  const bot = new DirectSignal();
  return {
    handoff: { worker, bot, notices: new TableNoticeBox(tables, 'notices', noticeSchema), orders: new TableNoticeBox(tables, 'orders', orderSchema) },
    connect(b, w) {
      bot.target = b.notices;
      worker.target = w.intake;
    },
  };
}

/**
 * Everything in flight has settled: the bot's turns, the worker's intake and the sagas it started (until no new
 * work appears), then the bot's delivery of the worker's notices, through its outbox. Events, not time.
 */
export async function settle(bot: Onboard, worker: Worker): Promise<void> {
  await bot.inflight.idle(60_000);
  do {
    await worker.intake.runOnce();
    await worker.pickUp.idle();
  } while (worker.pickUp.running > 0);
  await bot.notices.runOnce();
  // The notices' news goes out through the bot's outbox, in the background.
  await bot.inflight.idle(60_000);
}
