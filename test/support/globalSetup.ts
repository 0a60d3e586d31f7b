import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { startAzurite } from '../../src/cli/dev/azurite';
import { projectRoot } from '../../src/paths';

/** One Azurite for the whole run; each test isolates itself with its own table prefix. */
export default async function globalSetup(): Promise<void> {
  const location = join(projectRoot, '.data', 'test', 'azurite');
  rmSync(location, { recursive: true, force: true });
  const azurite = await startAzurite({ location });
  process.env.ONBOARD_TEST_TABLES_URL = azurite.tableUrl;
  (globalThis as { __azurite?: typeof azurite }).__azurite = azurite;
}
