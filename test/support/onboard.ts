import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logging';
import { composeOnboard, composeWorker, type ComposeOverrides, type Worker } from '../../src/compose';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { testTables } from './tables';
import { inProcessHandoff, settle } from './inProcessHandoff';

/**
 * The whole bot, composed as production composes it, on its own Azurite tables; no port is opened. With
 * `workerEnv` (the local cloud's workerEnvironment()), the worker too, in the same process, woken directly.
 */
export function composeForTest(env: Record<string, string> = {}, overrides: ComposeOverrides = {}, workerEnv?: Record<string, string>) {
  const tables = testTables();
  const base = { TABLES_CONNECTION_STRING: tables.connectionString!, TABLES_PREFIX: tables.prefix };
  const config = loadConfig({ ...base, ...env });
  if (!workerEnv) {
    const onboard = composeOnboard(config, silentLogger(), overrides);
    return Object.assign(onboard, { config, worker: undefined as Worker | undefined, settled: () => onboard.inflight.idle(60_000) });
  }
  const pair = inProcessHandoff(createTableClientFactory(config.tables));
  const onboard = composeOnboard(config, silentLogger(), { ...overrides, handoff: pair.handoff });
  const { NODE_EXTRA_CA_CERTS: _trusted, ...rest } = workerEnv;
  const worker = composeWorker(loadConfig({ ...base, ...rest }), silentLogger(), { clock: overrides.clock, handoff: pair.handoff });
  pair.connect(onboard, worker);
  const close = onboard.close.bind(onboard);
  return Object.assign(onboard, {
    config, worker: worker as Worker | undefined,
    /** Waits until the worker has started and finished what there is, and the bot has said what it had to. */
    settled: () => settle(onboard, worker),
    async close() {
      await worker.close();
      await close();
    },
  });
}
