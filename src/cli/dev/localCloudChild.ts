import { join } from 'node:path';
import { projectRoot } from '../../paths';
import { SEED, defaultCaDir, ensureBotCredentials, ensureCertificateAuthority, ensureWorkerCredentials, type ReadyLine } from '../../localcloud';
import { startChild, waitForLine, type Child } from './childProcess';

/** The local cloud in its own process, so the bot talks to it over real TLS exactly as it would to Azure. */
export async function startLocalCloudChild(dataDir: string, port = 0): Promise<{ child: Child; ready: ReadyLine }> {
  const child = startChild('local cloud', process.execPath, [join(projectRoot, 'bin', 'onboard.js'), 'localcloud', '--port', String(port), '--data', dataDir]);
  const line = await waitForLine(child, (l) => l.startsWith('{"ready"'), 30_000);
  return { child, ready: JSON.parse(line) as ReadyLine };
}

/**
 * What the local cloud's ready line will say, known before it starts: the CA and the bot's
 * credentials are made here first, so the bot can start side by side with the local cloud.
 */
export function expectedReadyLine(dataDir: string, port: number): Pick<ReadyLine, 'authorityHost' | 'tenantId' | 'graphBaseUrl' | 'vaultUrl' | 'caCertPath' | 'bot' | 'worker'> {
  const { caCertPath } = ensureCertificateAuthority(defaultCaDir(dataDir));
  const url = `https://localhost:${port}`;
  return { authorityHost: url, tenantId: SEED.tenantId, graphBaseUrl: `${url}/v1.0`, vaultUrl: url, caCertPath, bot: ensureBotCredentials(dataDir), worker: ensureWorkerCredentials(dataDir) };
}

/** The worker's settings: the bot's, with the worker's own identity. */
export function localCloudWorkerEnv(ready: Pick<ReadyLine, 'authorityHost' | 'tenantId' | 'graphBaseUrl' | 'vaultUrl' | 'caCertPath' | 'bot' | 'worker'>): Record<string, string> {
  return { ...localCloudEnv(ready), AZURE_CLIENT_ID: ready.worker.clientId, AZURE_CLIENT_SECRET: ready.worker.clientSecret };
}

/** The bot's settings for the local cloud: only endpoints and the credential differ from Azure. */
export function localCloudEnv(ready: Pick<ReadyLine, 'authorityHost' | 'tenantId' | 'graphBaseUrl' | 'vaultUrl' | 'caCertPath' | 'bot'>): Record<string, string> {
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
