import { TableClient, TableServiceClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { Config } from '../../config';

export type TableClientFactory = (name: string) => TableClient;

/**
 * Local: Azurite through its connection string. Azure: the account endpoint with Onboard's
 * identity (shared-key access is disabled on the account, so no keys exist to leak).
 */
export function createTableClientFactory(tables: Config['tables'], credential?: TokenCredential): TableClientFactory {
  const prefix = tables.prefix;
  if (tables.connectionString) {
    const insecure = /TableEndpoint=http:/i.test(tables.connectionString) || /UseDevelopmentStorage=true/i.test(tables.connectionString);
    return (name) => TableClient.fromConnectionString(tables.connectionString!, prefix + name, { allowInsecureConnection: insecure });
  }
  if (tables.endpoint && credential) {
    const insecure = tables.endpoint.startsWith('http:');
    return (name) => new TableClient(tables.endpoint!, prefix + name, credential, { allowInsecureConnection: insecure });
  }
  throw new Error('Table storage is not configured: set TABLES_CONNECTION_STRING (local) or TABLES_ENDPOINT (azure)');
}

/** Connection string for an Azurite Table endpoint (the well-known development account). */
export function azuriteConnectionString(tableUrl: string): string {
  const account = 'devstoreaccount1';
  const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  return `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};TableEndpoint=${tableUrl.replace(/\/$/, '')}/${account};`;
}

export function tableServiceFromConnectionString(connectionString: string): TableServiceClient {
  return TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: /TableEndpoint=http:/i.test(connectionString) });
}
