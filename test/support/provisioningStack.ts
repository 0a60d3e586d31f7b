import { randomBytes } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../../src/config';
import type { LocalCloud } from '../../src/localcloud';
import { createCredential } from '../../src/adapters/identity/credentials';
import { GraphDirectory, type GraphDirectoryOptions } from '../../src/adapters/graph/graphDirectory';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { ProvisionRegistration } from '../../src/app/provisionRegistration';
import { defaultProvisioningSettings, type ProvisioningProgress, type ProvisioningSettings } from '../../src/app/provisioningPorts';
import type { SecretVault } from '../../src/app/secretVaultPort';
import type { Directory } from '../../src/app/directoryPort';
import { systemClock } from '../../src/app/ports';
import { approve, submitRequest, type Person, type RegistrationRequest } from '../../src/domain/request';
import { provisioningKey } from '../../src/domain/provisioning';
import { InMemorySecretVault } from './provisioningVault';

/** Where a saga runs: the local cloud's endpoints and the worker's client secret, and an Azurite table prefix. */
export interface SagaEndpoints {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  graphBaseUrl: string;
  tables: Config['tables'];
}

export const endpointsOf = (cloud: LocalCloud, tables: Config['tables']): SagaEndpoints => ({
  tenantId: cloud.tenantId, clientId: cloud.worker.clientId, clientSecret: cloud.worker.clientSecret, authorityHost: cloud.authorityHost, graphBaseUrl: cloud.graphBaseUrl, tables,
});

export interface StackOptions {
  settings?: Partial<ProvisioningSettings>;
  vault?: SecretVault;
  progress?: ProvisioningProgress;
  directory?: Partial<GraphDirectoryOptions>;
  /** Wraps the directory the saga talks to (the runner's crash hooks). */
  decorate?: (directory: Directory) => Directory;
}

/** The production adapters (Graph, Tables) around the saga, as compose wires them; only the vault is a fake. */
export function provisioningStack(endpoints: SagaEndpoints, options: StackOptions = {}) {
  const credential = createCredential({ profile: 'local', identity: { kind: 'clientSecret', tenantId: endpoints.tenantId, clientId: endpoints.clientId, clientSecret: endpoints.clientSecret, authorityHost: endpoints.authorityHost } });
  const tables = createTableClientFactory(endpoints.tables);
  const requests = new TableRequestStore(tables);
  const audit = new TableAuditLog(tables);
  const directory = new GraphDirectory({ credential, baseUrl: endpoints.graphBaseUrl, clientId: endpoints.clientId, retry: { delaySeconds: 0.2, maxRetries: 2 }, batch: { baseWaitMs: 100, maxWaitMs: 2_000 }, ...options.directory });
  const vault = options.vault ?? new InMemorySecretVault();
  const settings: ProvisioningSettings = { ...defaultProvisioningSettings(`test-${randomBytes(3).toString('hex')}`), backoff: { baseMs: 100, capMs: 2_000 }, ...options.settings };
  const provision = new ProvisionRegistration({ requests, audit, directory: options.decorate ? options.decorate(directory) : directory, vault, clock: systemClock, settings, progress: options.progress });
  return { requests, audit, directory, vault, settings, provision };
}

export const requester: Person = { id: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const approver: Person = { id: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };

/** Stores a request that an approver has just approved, as DecideApproval leaves it. */
export async function approvedRequest(requests: TableRequestStore, id: string, plan: { displayName: string }, planHash = `hash-${id}`): Promise<RegistrationRequest> {
  const now = new Date();
  const pending = submitRequest({ id, requester, title: plan.displayName, text: `onboard ${plan.displayName}`, plan, planHash, risk: 'high', requiredApprovals: 1, expiresAfterMs: 86_400_000 }, now);
  const approved = approve(pending, approver, now);
  if (!approved.ok) throw new Error('could not approve');
  return (await requests.create(approved.request)).value;
}

export const newRequestId = () => `R${randomBytes(4).toString('hex').toUpperCase()}`;

/**
 * What exists in the tenant for a request, read with the test's own Graph client (another identity than
 * the bot's), never from the saga's record.
 */
export async function tenantFor(graph: Client, requestId: string) {
  const apps = (await graph.api('/applications').filter(`uniqueName eq '${provisioningKey(requestId)}'`).get()).value as { id: string; appId: string; [k: string]: unknown }[];
  if (apps.length !== 1) return { apps, app: undefined, sps: [], sp: undefined, assignments: [], grants: [], owners: [], passwords: [] };
  const app = await graph.api(`/applications/${apps[0].id}`).get();
  const sps = (await graph.api('/servicePrincipals').filter(`appId eq '${app.appId}'`).get()).value as { id: string; appId: string }[];
  const sp = sps[0];
  const assignments = sp ? (await graph.api(`/servicePrincipals/${sp.id}/appRoleAssignments`).get()).value as { resourceId: string; appRoleId: string }[] : [];
  const grants = sp ? (await graph.api('/oauth2PermissionGrants').filter(`clientId eq '${sp.id}'`).get()).value as { resourceId: string; scope: string; consentType: string; principalId: string | null }[] : [];
  const owners = ((await graph.api(`/applications/${app.id}/owners`).get()).value as { id: string }[]).map((o) => o.id);
  return { apps, app, sps, sp, assignments, grants, owners, passwords: app.passwordCredentials as { keyId: string; displayName: string; hint: string }[] };
}
