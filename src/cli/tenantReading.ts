import { loadConfig, ConfigError, type Config } from '../config';
import { createCredential } from '../adapters/identity/credentials';
import { createTableClientFactory } from '../adapters/tables/tableClients';
import { TableRequestStore } from '../adapters/tables/tableRequestStore';
import { GraphInventory } from '../adapters/graph/graphInventory';
import { InspectApp } from '../app/helpdesk/inspectApp';
import { systemClock } from '../app/ports';
import type { CliIo } from './command';

export interface TenantReading {
  config: Config;
  requests: TableRequestStore;
  inspect: InspectApp;
}

/**
 * What the read-only commands (`onboard inspect`, `onboard offboard`) need: the tenant read through Graph and
 * Onboard's own records, as the bot reads them. Undefined, with the reason on stderr, when the settings do not allow it.
 */
export function readTenant(io: CliIo, command: string): TenantReading | undefined {
  let config: Config;
  try {
    config = loadConfig(io.env, io.cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(error.message + '\n');
    return undefined;
  }
  if (!config.identity.clientId || !config.graph.baseUrl) {
    io.stderr(`onboard ${command} reads Microsoft Graph with Onboard's identity: set GRAPH_BASE_URL and AZURE_CLIENT_ID (and its credential), as for the bot.\n`);
    return undefined;
  }
  const credential = createCredential(config);
  const requests = new TableRequestStore(createTableClientFactory(config.tables, config.tables.endpoint ? credential : undefined));
  const inspect = new InspectApp({ inventory: new GraphInventory({ credential, baseUrl: config.graph.baseUrl }), requests, clock: systemClock, soonDays: 30 });
  return { config, requests, inspect };
}
