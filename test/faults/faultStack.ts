import type { Client } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import type { Config } from '../../src/config';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logging';
import { composeProvisioning, finishedWithHandover } from '../../src/compose/provisioning';
import { vaultOf } from '../../src/compose/secrets';
import { notifyingProgress } from '../../src/app/approvals/notifyingProgress';
import { ProvisioningSweeper } from '../../src/app/provisioningSweeper';
import { PreWriteGuard } from '../../src/app/provisioning/preWriteGuard';
import { GraphMembership } from '../../src/adapters/graph/graphMembership';
import { createGraphClient } from '../../src/adapters/graph/graphClient';
import { testApprovalSigner, testPolicy } from '../support/provisioningStack';
import { createCredential } from '../../src/adapters/identity/credentials';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { systemClock } from '../../src/app/ports';
import type { RequestNotifier } from '../../src/app/workflowPorts';
import type { RegistrationRequest } from '../../src/domain/request';
import { handoverSecretName } from '../../src/domain/provisioning';
import { credentialFor, graphClient } from '../localcloud/helpers';
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
 * Provisioning exactly as the worker wires it (src/compose/provisioning.ts: Graph and the local cloud's Key Vault
 * under the worker's identity, production retry, lease and backoff settings), with progress said as the bot says
 * the worker's notices, on the given cloud and tables. The one-time link itself is the handover's business: here
 * it only records the call.
 */
export function faultStack(cloud: LocalCloud, tables: Config['tables']) {
  const notifier = new RecordingNotifier();
  const { NODE_EXTRA_CA_CERTS: _trustedAlready, ...env } = cloud.workerEnvironment();
  const config = loadConfig({ ...env, TABLES_CONNECTION_STRING: tables.connectionString!, TABLES_PREFIX: tables.prefix, LOG_LEVEL: 'silent' });
  const factory = createTableClientFactory(config.tables);
  const requests = new TableRequestStore(factory);
  const audit = new TableAuditLog(factory);
  const handedOver: string[] = [];
  const credential = createCredential(config);
  const { client } = createGraphClient({ credential, baseUrl: config.graph.baseUrl! });
  // The guard as the worker wires it, with the test stacks' approval key so approvedRequest's rows verify.
  const guard = new PreWriteGuard({ membership: new GraphMembership(client, 0), approversGroup: config.groups.approvers, signer: testApprovalSigner, policy: testPolicy });
  const said = notifyingProgress(notifier);
  const progress = { ...said, finished: finishedWithHandover(said, notifier, async (id) => handedOver.push(id), silentLogger()) };
  const { provision } = composeProvisioning(config, { credential, requests, audit, clock: systemClock, logger: silentLogger(), vault: vaultOf(config, credential), progress, guard });
  const sweeper = new ProvisioningSweeper({ requests, provision, clock: systemClock });
  return { requests, audit, notifier, handedOver, provision, sweeper };
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
