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
import { uniqueNamePrefix } from '../../src/domain/provisioning';
import { planHashOf, type RegistrationPlan } from '../../src/domain/plan';
import { approvalsRequired } from '../../src/domain/policy';
import { approvalPayload } from '../../src/domain/planGuard';
import { permissionCatalog, riskOf, worstRisk } from '../../src/domain/catalog/permissions';
import { PreWriteGuard } from '../../src/app/provisioning/preWriteGuard';
import type { ApprovalSigner } from '../../src/app/approvals/approvalSigner';
import type { Ids } from '../../src/app/ports';
import { VaultApprovalSigner } from '../../src/adapters/keyvault/vaultApprovalSigner';
import { GraphMembership } from '../../src/adapters/graph/graphMembership';
import { createGraphClient } from '../../src/adapters/graph/graphClient';
import { SEED } from '../../src/localcloud/seedIds';
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
  /** Where the uniqueName's random part comes from (an attack test makes it known). */
  ids?: Pick<Ids, 'unguessable'>;
  /** Another pre-write guard than the worker's usual one. */
  guard?: PreWriteGuard;
}

/**
 * The approval key of the test stacks: in production it is a Key Vault secret; here it is fixed, so requests
 * approved by one stack (or the test) verify in another, including a saga runner in a child process.
 */
const TEST_APPROVAL_KEY = Buffer.alloc(32, 7).toString('base64');
export const testApprovalSigner: ApprovalSigner = new VaultApprovalSigner({ read: async () => TEST_APPROVAL_KEY, put: async () => undefined }, { createIfMissing: false });
export const testPolicy = { allowSelfApproval: false, highRiskApprovals: 2 };

/** The guard as the worker wires it: membership asked of the local cloud's Graph afresh, the test approval key. */
export function testGuard(endpoints: SagaEndpoints, credential = credentialOf(endpoints)): PreWriteGuard {
  const { client } = createGraphClient({ credential, baseUrl: endpoints.graphBaseUrl });
  return new PreWriteGuard({ membership: new GraphMembership(client, 0), approversGroup: SEED.groups.approvers, signer: testApprovalSigner, policy: testPolicy });
}

const credentialOf = (endpoints: SagaEndpoints) => createCredential({ profile: 'local', identity: { kind: 'clientSecret', tenantId: endpoints.tenantId, clientId: endpoints.clientId, clientSecret: endpoints.clientSecret, authorityHost: endpoints.authorityHost } });

/** The production adapters (Graph, Tables) around the saga, as compose wires them; only the vault is a fake. */
export function provisioningStack(endpoints: SagaEndpoints, options: StackOptions = {}) {
  const credential = credentialOf(endpoints);
  const tables = createTableClientFactory(endpoints.tables);
  const requests = new TableRequestStore(tables);
  const audit = new TableAuditLog(tables);
  const directory = new GraphDirectory({ credential, baseUrl: endpoints.graphBaseUrl, clientId: endpoints.clientId, retry: { delaySeconds: 0.2, maxRetries: 2 }, batch: { baseWaitMs: 100, maxWaitMs: 2_000 }, ...options.directory });
  const vault = options.vault ?? new InMemorySecretVault();
  const settings: ProvisioningSettings = { ...defaultProvisioningSettings(`test-${randomBytes(3).toString('hex')}`), backoff: { baseMs: 100, capMs: 2_000 }, ...options.settings };
  const guard = options.guard ?? testGuard(endpoints, credential);
  const provision = new ProvisionRegistration({ requests, audit, directory: options.decorate ? options.decorate(directory) : directory, vault, clock: systemClock, settings, progress: options.progress, guard, ids: options.ids });
  return { requests, audit, directory, vault, settings, provision, guard };
}

export const requester: Person = { id: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
export const megan: Person = { id: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
export const adele: Person = { id: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };

/** The risk the guard recomputes: from the catalogue, never from the row. */
const riskOfPlan = (plan: RegistrationPlan) => worstRisk(plan.permissions.map((p) => {
  const known = permissionCatalog.find(p.name, p.type);
  return known ? riskOf(known) : p.risk;
}));

/**
 * Stores a request as DecideApproval leaves it once the last required approval lands: its real plan hash,
 * as many members of the approvers group as the plan's risk needs (Megan, then Adele), and the approval HMAC.
 */
export async function approvedRequest(requests: TableRequestStore, id: string, plan: RegistrationPlan, options: { approvers?: Person[]; requester?: Person } = {}): Promise<RegistrationRequest> {
  const now = new Date();
  const risk = riskOfPlan(plan);
  const needed = approvalsRequired(risk, testPolicy);
  const approvers = options.approvers ?? [megan, adele].slice(0, needed);
  let request = submitRequest({ id, requester: options.requester ?? requester, title: plan.displayName, text: `onboard ${plan.displayName}`, plan, planHash: plan.planHash ?? planHashOf(plan), risk, requiredApprovals: approvers.length, expiresAfterMs: 86_400_000 }, now);
  for (const approver of approvers) {
    const approved = approve(request, approver, now);
    if (!approved.ok) throw new Error('could not approve');
    request = approved.request;
  }
  request = { ...request, approvalMac: await testApprovalSigner.sign(approvalPayload(request)) };
  return (await requests.create(request)).value;
}

export const newRequestId = () => `R${randomBytes(4).toString('hex').toUpperCase()}`;

/**
 * What exists in the tenant for a request, read with the test's own Graph client (another identity than
 * the bot's), never from the saga's record.
 */
export async function tenantFor(graph: Client, requestId: string) {
  const apps = (await graph.api('/applications').filter(`startswith(uniqueName,'${uniqueNamePrefix(requestId)}')`).get()).value as { id: string; appId: string; [k: string]: unknown }[];
  if (apps.length !== 1) return { apps, app: undefined, sps: [], sp: undefined, assignments: [], grants: [], owners: [], passwords: [] };
  const app = await graph.api(`/applications/${apps[0].id}`).get();
  const sps = (await graph.api('/servicePrincipals').filter(`appId eq '${app.appId}'`).get()).value as { id: string; appId: string }[];
  const sp = sps[0];
  const assignments = sp ? (await graph.api(`/servicePrincipals/${sp.id}/appRoleAssignments`).get()).value as { resourceId: string; appRoleId: string }[] : [];
  const grants = sp ? (await graph.api('/oauth2PermissionGrants').filter(`clientId eq '${sp.id}'`).get()).value as { resourceId: string; scope: string; consentType: string; principalId: string | null }[] : [];
  const owners = ((await graph.api(`/applications/${app.id}/owners`).get()).value as { id: string }[]).map((o) => o.id);
  return { apps, app, sps, sp, assignments, grants, owners, passwords: app.passwordCredentials as { keyId: string; displayName: string; hint: string }[] };
}
