import { join } from 'node:path';
import { projectRoot } from '../../paths';
import { SEED, type ReadyLine } from '../../localcloud';
import { startChild, waitForLine, type Child } from './childProcess';

/** The local cloud in its own process, so the bot talks to it over real TLS exactly as it would to Azure. */
export async function startLocalCloudChild(dataDir: string): Promise<{ child: Child; ready: ReadyLine }> {
  const child = startChild('local cloud', process.execPath, [join(projectRoot, 'bin', 'onboard.js'), 'localcloud', '--port', '0', '--data', dataDir]);
  const line = await waitForLine(child, (l) => l.startsWith('{"ready"'), 30_000);
  return { child, ready: JSON.parse(line) as ReadyLine };
}

/** The bot's settings for the local cloud: only endpoints and the credential differ from Azure. */
export function localCloudEnv(ready: ReadyLine): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: ready.caCertPath,
    ONBOARD_CREDENTIAL: 'clientSecret',
    AZURE_AUTHORITY_HOST: ready.authorityHost,
    AZURE_TENANT_ID: ready.tenantId,
    AZURE_CLIENT_ID: ready.bot.clientId,
    AZURE_CLIENT_SECRET: ready.bot.clientSecret,
    GRAPH_BASE_URL: ready.graphBaseUrl,
    KEY_VAULT_URL: ready.vaultUrl,
    APPROVERS_GROUP_ID: SEED.groups.approvers,
    HELPDESK_GROUP_ID: SEED.groups.helpdesk,
  };
}
