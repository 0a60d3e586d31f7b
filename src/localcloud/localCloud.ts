import { join } from 'node:path';
import { graphRoleId } from './catalogue';
import { ensureCertificateAuthority, ensureServerCertificate } from './certificates';
import type { ContractViolation } from './contracts/contracts';
import { consistencyFromEnv, type ConsistencyMode } from './consistency';
import { Core, type ContractMode } from './core';
import { faultRulesFromEnv, type FaultCounts, type FaultRule } from './faults';
import { newClientSecret, newGuid } from './ids';
import { defaultServicePrincipal, type GraphObject, type Group, type User, type VaultRole } from './model';
import { seedExtraApps } from './seed';
import { SEED } from './seedIds';
import { startServer } from './server';
import { registerRedirectUri, tamperNextIdToken, type IdTokenTampering } from './signin';
import { addPassword, assignAppRole, createApplication, createGrant, createServicePrincipal, findServicePrincipalByAppId } from './tenant';

export interface StartLocalCloudOptions {
  port?: number;
  dataDir: string;
  caDir?: string;
  reset?: boolean;
  contracts?: ContractMode;
  faults?: FaultRule[];
  env?: NodeJS.ProcessEnv;
  /** `eventual` (default): a seeded 20% of new apps and service principals lag up to 1.5 s; `strong`: none. */
  consistency?: ConsistencyMode;
  seed?: number;
  /** How long a Key Vault purge keeps the name busy (409 ObjectIsBeingDeleted); default 2,000 ms. */
  purgeDelayMs?: number;
}

export interface LocalCloudUser {
  name: string;
  id: string;
  userPrincipalName: string;
  roles: string[];
}

export interface ReadyLine {
  ready: true;
  authorityHost: string;
  tenantId: string;
  tenantName: string;
  graphBaseUrl: string;
  vaultUrl: string;
  caCertPath: string;
  bot: { clientId: string; clientSecret: string };
  /** The provisioning worker's credentials: the identity with the Graph write roles. */
  worker: { clientId: string; clientSecret: string };
  users: LocalCloudUser[];
}

export interface LocalCloudState {
  readonly applications: GraphObject[];
  readonly servicePrincipals: GraphObject[];
  readonly appRoleAssignments: GraphObject[];
  readonly oauth2PermissionGrants: GraphObject[];
  readonly users: User[];
  readonly groups: Group[];
  /** Secret values are here for test assertions only; the page and the APIs never list them. */
  readonly vault: { secrets: Record<string, { version: string; value: string; contentType?: string; tags?: Record<string, string>; enabled: boolean; exp?: number }[]>; deleted: string[] };
  ownersOf(appObjectId: string): string[];
}

export interface ClientAppCredentials {
  clientId: string;
  clientSecret: string;
  appObjectId: string;
  servicePrincipalId: string;
}

export interface LocalCloud {
  url: string;
  authorityHost: string;
  tenantId: string;
  tenantName: string;
  graphBaseUrl: string;
  vaultUrl: string;
  caCertPath: string;
  port: number;
  dataDir: string;
  bot: ClientAppCredentials;
  worker: ClientAppCredentials;
  /** Graph and Key Vault requests sent with a token of this client id (refused ones too), in order. */
  requestsBy(clientId: string): { method: string; path: string }[];
  users: LocalCloudUser[];
  groups: { approvers: string; helpdesk: string };
  faults: { set(rules: FaultRule | FaultRule[]): void; add(rules: FaultRule | FaultRule[]): void; clear(): void; counts(): FaultCounts; list(): FaultRule[] };
  contracts: { violations(): ContractViolation[]; clear(): void };
  /** Eventual consistency: switch it for tests that assert one request's answer, and count what it did. */
  consistency: { set(mode: ConsistencyMode): void; counts(): { mode: ConsistencyMode; laggedObjects: number; failedRequests: number } };
  state: LocalCloudState;
  grantBotRole(role: string): void;
  revokeBotRole(role: string): void;
  grantWorkerRole(role: string): void;
  revokeWorkerRole(role: string): void;
  addClientApp(options: { displayName: string; graphRoles?: string[]; vaultRole?: VaultRole }): ClientAppCredentials;
  /** `graphRoles(i)` names the Graph application permissions granted to the i-th app (1-based). */
  seedApps(count: number, options?: { prefix?: string; withServicePrincipals?: boolean; graphRoles?: (index: number) => string[] }): string[];
  /**
   * An enterprise app: a service principal for an app registered in another organisation (no application object
   * here), with admin-consented Graph roles and scopes, and scopes some users consented to for themselves.
   */
  addEnterpriseApp(options: { displayName: string; publisherTenantId: string; graphRoles?: string[]; adminScopes?: string[]; userScopes?: { userId: string; scopes: string[] }[] }): { appId: string; servicePrincipalId: string };
  /** Interactive sign-in (signin.ts): a web redirect URI on an app; and, for attack tests, a spoiled next ID token. */
  signIn: { registerRedirectUri(appId: string, uri: string): void; tamperNextIdToken(tampering: IdTokenTampering): void };
  readyLine(): ReadyLine;
  /** The environment that points Onboard (src/config.ts) at this cloud as the bot, for `onboard dev` and tests. */
  botEnvironment(): Record<string, string>;
  /** The same for `onboard worker`: the worker's credentials instead of the bot's. */
  workerEnvironment(): Record<string, string>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const VAULT_ROLES = new Set<string>(['Key Vault Secrets Officer', 'Key Vault Secrets User', 'Onboard Secret Handover']);

function users(core: Core): LocalCloudUser[] {
  return Object.values(core.state.users).map((u) => ({ name: u.displayName, id: u.id, userPrincipalName: u.userPrincipalName, roles: [...u.onboardRoles] }));
}

export async function startLocalCloud(options: StartLocalCloudOptions): Promise<LocalCloud> {
  const caDir = options.caDir ?? defaultCaDir(options.dataDir);
  const ca = ensureCertificateAuthority(caDir);
  const serverCert = ensureServerCertificate(ca, caDir);
  const contracts = options.contracts ?? (process.env.JEST_WORKER_ID !== undefined ? 'enforce' : 'off');
  const faults = [...(options.faults ?? []), ...faultRulesFromEnv(options.env ?? process.env)];
  const env = options.env ?? process.env;
  const fromEnv = consistencyFromEnv(env);
  const purgeEnv = env.ONBOARD_LOCALCLOUD_PURGE_DELAY_MS;
  if (purgeEnv !== undefined && !/^\d+$/.test(purgeEnv)) throw new Error(`ONBOARD_LOCALCLOUD_PURGE_DELAY_MS="${purgeEnv}" is not valid; expected milliseconds.`);
  const core = new Core({
    dataDir: options.dataDir, reset: options.reset ?? false, contracts, faults,
    purgeDelayMs: options.purgeDelayMs ?? (purgeEnv !== undefined ? Number(purgeEnv) : undefined),
    consistency: { ...fromEnv, ...(options.consistency ? { mode: options.consistency } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) },
  });
  let running;
  try {
    running = await startServer(core, { port: options.port ?? 0, certPem: serverCert.certPem, keyPem: serverCert.keyPem });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const friendly = new Error(`Port ${options.port} is already in use. Stop whatever is using it, or pick another port with --port (0 picks a free one).`) as NodeJS.ErrnoException;
      friendly.code = 'EADDRINUSE';
      throw friendly;
    }
    throw error;
  }
  const url = `https://localhost:${running.port}`;
  const bot: ClientAppCredentials = { clientId: SEED.bot.appId, clientSecret: core.botSecret, appObjectId: SEED.bot.appObjectId, servicePrincipalId: SEED.bot.servicePrincipalId };
  const worker: ClientAppCredentials = { clientId: SEED.worker.appId, clientSecret: core.workerSecret, appObjectId: SEED.worker.appObjectId, servicePrincipalId: SEED.worker.servicePrincipalId };
  const clone = <T>(value: T): T => structuredClone(value);
  const graphSpId = () => (findServicePrincipalByAppId(core.state, '00000003-0000-0000-c000-000000000000')?.data.id as string);

  const grantRole = (principalId: string, role: string) => {
    if (VAULT_ROLES.has(role)) {
      if (!core.state.vault.roleAssignments.some((r) => r.principalId === principalId && r.role === role)) core.state.vault.roleAssignments.push({ principalId, role: role as VaultRole });
    } else {
      const appRoleId = graphRoleId(role);
      const has = Object.values(core.state.appRoleAssignments).some((a) => a.principalId === principalId && a.appRoleId === appRoleId);
      if (!has) assignAppRole(core.state, { principalId, resourceId: graphSpId(), appRoleId }, core.now());
    }
    core.changed();
  };
  const revokeRole = (principalId: string, role: string) => {
    if (VAULT_ROLES.has(role)) {
      core.state.vault.roleAssignments = core.state.vault.roleAssignments.filter((r) => !(r.principalId === principalId && r.role === role));
    } else {
      const appRoleId = graphRoleId(role);
      for (const [key, a] of Object.entries(core.state.appRoleAssignments)) if (a.principalId === principalId && a.appRoleId === appRoleId) delete core.state.appRoleAssignments[key];
    }
    core.changed();
  };

  const cloud: LocalCloud = {
    url, authorityHost: url, vaultUrl: url, graphBaseUrl: `${url}/v1.0`, port: running.port, dataDir: options.dataDir,
    tenantId: core.state.tenant.id, tenantName: core.state.tenant.displayName, caCertPath: ca.caCertPath, bot, worker,
    requestsBy: (clientId) => [...(core.requestsByClient.get(clientId) ?? [])],
    get users() { return users(core); },
    groups: { approvers: SEED.groups.approvers, helpdesk: SEED.groups.helpdesk },
    faults: {
      set: (rules) => core.faults.set(rules), add: (rules) => core.faults.add(rules), clear: () => core.faults.clear(),
      counts: () => core.faults.counts(), list: () => core.faults.list(),
    },
    contracts: { violations: () => clone(core.violations), clear: () => { core.violations.length = 0; } },
    consistency: { set: (mode) => { core.consistency.mode = mode; }, counts: () => core.consistency.counts() },
    state: {
      get applications() { return Object.values(core.state.applications).map((a) => clone(a.data)); },
      get servicePrincipals() { return Object.values(core.state.servicePrincipals).map((s) => clone(s.data)); },
      get appRoleAssignments() { return Object.values(core.state.appRoleAssignments).map(clone); },
      get oauth2PermissionGrants() { return Object.values(core.state.oauth2PermissionGrants).map(clone); },
      get users() { return Object.values(core.state.users).map(clone); },
      get groups() { return Object.values(core.state.groups).map(clone); },
      get vault() { return { secrets: clone(core.state.vault.secrets), deleted: Object.keys(core.state.vault.deleted) }; },
      ownersOf: (id) => [...(core.state.applications[id]?.meta.ownerIds ?? [])],
    },
    grantBotRole: (role) => grantRole(bot.servicePrincipalId, role),
    revokeBotRole: (role) => revokeRole(bot.servicePrincipalId, role),
    grantWorkerRole: (role) => grantRole(worker.servicePrincipalId, role),
    revokeWorkerRole: (role) => revokeRole(worker.servicePrincipalId, role),
    addClientApp({ displayName, graphRoles = [], vaultRole }) {
      const now = core.now();
      const app = createApplication(core.state, { displayName }, { ownerIds: [], now });
      const clientSecret = newClientSecret();
      addPassword(app, { displayName: 'test' }, now, clientSecret);
      const sp = createServicePrincipal(core.state, { appId: app.data.appId }, { ownerIds: [], now });
      const spId = sp.data.id as string;
      for (const role of graphRoles) assignAppRole(core.state, { principalId: spId, resourceId: graphSpId(), appRoleId: graphRoleId(role) }, now);
      if (vaultRole) core.state.vault.roleAssignments.push({ principalId: spId, role: vaultRole });
      core.changed();
      return { clientId: app.data.appId as string, clientSecret, appObjectId: app.data.id as string, servicePrincipalId: spId };
    },
    seedApps(count, seedOptions = {}) {
      const ids = seedExtraApps(core.state, count, { now: core.now(), ...seedOptions });
      core.changed();
      return ids;
    },
    addEnterpriseApp({ displayName, publisherTenantId, graphRoles = [], adminScopes = [], userScopes = [] }) {
      const now = core.now();
      const appId = newGuid();
      const spId = newGuid();
      core.state.servicePrincipals[spId] = {
        data: { ...defaultServicePrincipal(spId, { appId, displayName }, publisherTenantId), tags: ['WindowsAzureActiveDirectoryIntegratedApp'] },
        meta: { ownerIds: [], secretHashes: {} },
      };
      for (const role of graphRoles) assignAppRole(core.state, { principalId: spId, resourceId: graphSpId(), appRoleId: graphRoleId(role) }, now);
      if (adminScopes.length) createGrant(core.state, { clientId: spId, consentType: 'AllPrincipals', principalId: null, resourceId: graphSpId(), scope: adminScopes.join(' ') }, now);
      for (const u of userScopes) createGrant(core.state, { clientId: spId, consentType: 'Principal', principalId: u.userId, resourceId: graphSpId(), scope: u.scopes.join(' ') }, now);
      core.changed();
      return { appId, servicePrincipalId: spId };
    },
    signIn: {
      registerRedirectUri: (appId, uri) => registerRedirectUri(core, appId, uri),
      tamperNextIdToken: (tampering) => tamperNextIdToken(core, tampering),
    },
    readyLine: () => ({
      ready: true, authorityHost: url, tenantId: core.state.tenant.id, tenantName: core.state.tenant.displayName, graphBaseUrl: `${url}/v1.0`,
      vaultUrl: url, caCertPath: ca.caCertPath, bot: { clientId: bot.clientId, clientSecret: bot.clientSecret },
      worker: { clientId: worker.clientId, clientSecret: worker.clientSecret }, users: users(core),
    }),
    botEnvironment: () => ({
      ONBOARD_CREDENTIAL: 'clientSecret', AZURE_TENANT_ID: core.state.tenant.id, AZURE_CLIENT_ID: bot.clientId, AZURE_CLIENT_SECRET: bot.clientSecret,
      AZURE_AUTHORITY_HOST: url, GRAPH_BASE_URL: `${url}/v1.0`, KEY_VAULT_URL: url, NODE_EXTRA_CA_CERTS: ca.caCertPath,
      APPROVERS_GROUP_ID: SEED.groups.approvers, HELPDESK_GROUP_ID: SEED.groups.helpdesk,
    }),
    workerEnvironment: () => ({ ...cloud.botEnvironment(), AZURE_CLIENT_ID: worker.clientId, AZURE_CLIENT_SECRET: worker.clientSecret }),
    reset: () => core.reset(),
    async close() {
      await running.close();
      await core.store.flush();
    },
  };
  return cloud;
}

/** Where the dev CA lives for a data folder: the tests' shared CA under jest, else beside the state. */
export function defaultCaDir(dataDir: string): string {
  return process.env.ONBOARD_TEST_CA_DIR ?? join(dataDir, 'ca');
}
