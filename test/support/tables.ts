import { randomBytes } from 'node:crypto';
import type { Config } from '../../src/config';
import { azuriteConnectionString } from '../../src/adapters/tables/tableClients';

/** Table settings pointing at the run's Azurite, with a prefix no other test uses. */
export function testTables(): Config['tables'] {
  const url = process.env.ONBOARD_TEST_TABLES_URL;
  if (!url) throw new Error('ONBOARD_TEST_TABLES_URL is not set: run the tests through `npm test` or `npm run jest`');
  return { connectionString: azuriteConnectionString(url), prefix: `t${randomBytes(6).toString('hex')}` };
}
