import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { SecretClient } from '@azure/keyvault-secrets';
import { startLocalCloud, type LocalCloud, type StartLocalCloudOptions } from '../../src/localcloud';

/** A per-test data folder, removed by the returned cleanup. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'onboard-localcloud-'));
}

/** Starts a local cloud with contract checks on and no faults from the environment; `stop` also removes its data. */
export async function startTestCloud(options: Partial<StartLocalCloudOptions> = {}): Promise<{ cloud: LocalCloud; stop: () => Promise<void> }> {
  const dataDir = options.dataDir ?? tempDataDir();
  const cloud = await startLocalCloud({ contracts: 'enforce', env: {}, ...options, dataDir });
  return {
    cloud,
    stop: async () => {
      await cloud.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** By default the worker's identity: the one that may write to Graph (the bot's only reads, issue #16). */
export function credentialFor(cloud: LocalCloud, app: { clientId: string; clientSecret: string } = cloud.worker): ClientSecretCredential {
  return new ClientSecretCredential(cloud.tenantId, app.clientId, app.clientSecret, { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true });
}

export function graphClient(cloud: LocalCloud, credential: TokenCredential = credentialFor(cloud)): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] });
  return Client.initWithMiddleware({ authProvider, baseUrl: cloud.graphBaseUrl, defaultVersion: '', customHosts: new Set(['localhost']) });
}

export function secretClient(cloud: LocalCloud, credential: TokenCredential = credentialFor(cloud)): SecretClient {
  return new SecretClient(cloud.vaultUrl, credential, { disableChallengeResourceVerification: true });
}

/** Response bodies in tests are read loosely; each assertion says what it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any;

/** A raw HTTPS call with a token, for what the SDKs would not send (malformed bodies, oversized batches). */
const credentials = new WeakMap<LocalCloud, ClientSecretCredential>();

export async function rawGraph(cloud: LocalCloud, method: string, path: string, body?: string | object, headers: Record<string, string> = {}): Promise<{ status: number; json: Body; headers: Headers }> {
  if (!credentials.has(cloud)) credentials.set(cloud, credentialFor(cloud));
  const token = await credentials.get(cloud)!.getToken('https://graph.microsoft.com/.default');
  const response = await fetch(`${cloud.graphBaseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token?.token}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers };
}

/** Decodes a JWT's claims without checking it (the test checks the signature separately where it matters). */
export function claimsOf(token: string): Body {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
