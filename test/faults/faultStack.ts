import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import type { Config } from '../../src/config';
import { createCredential } from '../../src/adapters/identity/credentials';
import { KeyVaultSecretVault } from '../../src/adapters/keyvault/keyVaultSecretVault';
import { notifyingProgress } from '../../src/app/approvals/notifyingProgress';
import type { RequestNotifier } from '../../src/app/workflowPorts';
import type { RegistrationRequest } from '../../src/domain/request';
import { handoverSecretName } from '../../src/domain/provisioning';
import { credentialFor, graphClient } from '../localcloud/helpers';
import { endpointsOf, provisioningStack } from '../support/provisioningStack';
import type { VaultEntry } from '../support/provisioningVault';

/** What the people involved were told: every card update and message the notifier was asked to deliver. */
export class RecordingNotifier implements RequestNotifier {
  readonly messages: { requestId: string; state: string; message: string }[] = [];
  async submitted() {
    return { delivered: 1, where: 'approvers' as const };
  }
  async changed(request: RegistrationRequest, message: string) {
    this.messages.push({ requestId: request.id, state: request.state, message });
  }
  async reminded() {}
  told(requestId: string): string[] {
    return this.messages.filter((m) => m.requestId === requestId && m.message).map((m) => m.message);
  }
}

/**
 * The saga as compose wires it, on the given cloud and tables: Graph, Key Vault (the local cloud's, through
 * the production adapter) and Tables, with progress going to the notifier as in production.
 */
export function faultStack(cloud: LocalCloud, tables: Config['tables'], options: { leaseMs?: number; owner?: string } = {}) {
  const notifier = new RecordingNotifier();
  const endpoints = endpointsOf(cloud, tables);
  const credential = createCredential({ profile: 'local', identity: { kind: 'clientSecret', tenantId: endpoints.tenantId, clientId: endpoints.clientId, clientSecret: endpoints.clientSecret, authorityHost: endpoints.authorityHost } });
  const vault = new KeyVaultSecretVault(cloud.vaultUrl, credential, { disableChallengeResourceVerification: true });
  const stack = provisioningStack(endpoints, {
    vault, progress: notifyingProgress(notifier),
    settings: { leaseMs: options.leaseMs ?? 3_000, ...(options.owner ? { owner: options.owner } : {}) },
  });
  return { ...stack, notifier };
}

/** A read-only Graph identity of the test's own, to check the tenant independently of the bot. */
export function auditorOf(cloud: LocalCloud, app?: { clientId: string; clientSecret: string }): { auditor: Client; app: { clientId: string; clientSecret: string } } {
  const credentials = app ?? cloud.addClientApp({ displayName: 'Test auditor', graphRoles: ['Application.Read.All', 'DelegatedPermissionGrant.Read.All'] });
  return { auditor: graphClient(cloud, credentialFor(cloud, credentials)), app: credentials };
}

/** The handover secret as the local cloud's vault holds it (its live version), in the shape the tenant check takes. */
export function vaultedSecret(cloud: LocalCloud, requestId: string): VaultEntry | undefined {
  const versions = cloud.state.vault.secrets[handoverSecretName(requestId)] ?? [];
  const live = versions.filter((v) => v.enabled);
  if (live.length !== 1) return live.length ? ({ value: `${live.length} live versions`, contentType: '', tags: {}, expiresOn: '' }) : undefined;
  const [v] = live;
  return { value: v.value, contentType: v.contentType ?? '', tags: v.tags ?? {}, expiresOn: v.exp ? new Date(v.exp * 1000).toISOString() : '' };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds or the time is up; the test then asserts on what it found, not on the time. */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined as T);
    if ((value !== undefined && done(value)) || Date.now() > deadline) return value;
    await sleep(everyMs);
  }
}
