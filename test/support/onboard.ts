import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logging';
import { composeOnboard, type ComposeOverrides } from '../../src/compose';
import { testTables } from './tables';

/** The whole bot, composed as production composes it, on its own Azurite tables; no port is opened. */
export function composeForTest(env: Record<string, string> = {}, overrides: ComposeOverrides = {}) {
  const tables = testTables();
  const config = loadConfig({ TABLES_CONNECTION_STRING: tables.connectionString!, TABLES_PREFIX: tables.prefix, ...env });
  return Object.assign(composeOnboard(config, silentLogger(), overrides), { config });
}
