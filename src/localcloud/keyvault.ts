import { checkBody, describeErrors } from './contracts/contracts';
import type { Core } from './core';
import { VAULT_AUDIENCE } from './entra';
import { VaultError } from './errors';
import type { LocalRequest, Reply } from './http';
import { newVaultVersion } from './ids';
import type { SecretVersion, VaultRole } from './model';
import { secretBundle, secretItem, deletedBundle, deletedItem, listPage } from './keyvaultShapes';

/**
 * Azure Key Vault secrets (data plane), as @azure/keyvault-secrets 4.11 drives it: the 401 challenge, set/get/
 * update/list, soft delete with recovery and purge, and RBAC ("Key Vault Secrets Officer" / "User") checked
 * against the caller in the token.
 */
// Every stable data-plane version Microsoft publishes for secrets (azure-rest-api-specs, Microsoft.KeyVault/stable).
export const SUPPORTED_API_VERSIONS = new Set(['2025-07-01', '2025-06-01', '7.6', '7.5', '7.4', '7.3', '7.2', '7.1', '7.0']);
const RETENTION_DAYS = 90;
type Action = 'get' | 'list' | 'set' | 'update' | 'delete' | 'purge' | 'recover';
const READER_ACTIONS = new Set<Action>(['get', 'list']);
/** The custom role the bot holds: read the handover secret, then delete and purge it; never set one. */
const HANDOVER_ACTIONS = new Set<Action>(['get', 'list', 'delete', 'purge']);

export const isVaultPath = (path: string): boolean => /^\/(secrets|deletedsecrets)(\/|$)/i.test(path);

function challenge(core: Core, req: LocalRequest): Record<string, string> {
  return { 'WWW-Authenticate': `Bearer authorization="${req.origin}/${core.state.tenant.id}", resource="${VAULT_AUDIENCE}"` };
}

function authorize(core: Core, req: LocalRequest, action: Action, name: string): void {
  const match = /^Bearer\s+(\S+)$/i.exec((req.headers.authorization ?? '').trim());
  if (!match) throw new VaultError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', undefined, challenge(core, req));
  const result = core.signingKey.verify(match[1]);
  if ('problem' in result) throw new VaultError(401, 'Unauthorized', `AKV10022: Invalid token: ${result.problem}.`, undefined, challenge(core, req));
  const { claims } = result;
  if (claims.aud !== VAULT_AUDIENCE && claims.aud !== `${VAULT_AUDIENCE}/`) {
    throw new VaultError(401, 'Unauthorized', `AKV10022: Invalid audience. Expected ${VAULT_AUDIENCE}, found: ${String(claims.aud)}.`, undefined, challenge(core, req));
  }
  const roles = core.state.vault.roleAssignments.filter((r) => r.principalId === claims.oid).map((r) => r.role);
  const allowed = roles.includes('Key Vault Secrets Officer') || (roles.includes('Key Vault Secrets User' as VaultRole) && READER_ACTIONS.has(action))
    || (roles.includes('Onboard Secret Handover') && HANDOVER_ACTIONS.has(action));
  if (!allowed) {
    const verb = { get: 'getSecret', list: 'readMetadata', set: 'setSecret', update: 'update', delete: 'delete', purge: 'purge', recover: 'recover' }[action];
    throw new VaultError(403, 'Forbidden', `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=${String(claims.appid)};oid=${String(claims.oid)};iss=${String(claims.iss)}\r\nAction: 'Microsoft.KeyVault/vaults/secrets/${verb}/action'\r\nResource: 'localcloud/secrets/${name}'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: localcloud;location=local\r\n`, 'ForbiddenByRbac');
  }
}

const notFound = (what: string) => new VaultError(404, 'SecretNotFound', `A secret with (name/id) ${what} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`);
const bad = (message: string) => new VaultError(400, 'BadParameter', message);

function checkName(name: string): void {
  if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) throw bad(`The request URI contains an invalid name: ${name}`);
}

function body(req: LocalRequest, operation: string, core: Core): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = req.bodyText.trim() === '' ? undefined : JSON.parse(req.bodyText);
  } catch {
    throw bad('The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad('The request body must be a JSON object.');
  const errors = checkBody({ service: 'vault', path: operation, method: req.method }, 'request', 0, parsed);
  if (errors.length > 0) {
    const described = describeErrors(errors);
    if (core.contracts === 'enforce') core.violations.push({ service: 'vault', direction: 'request', method: req.method, url: req.path, operation, errors: described });
    throw bad(`The request body is not valid: ${described.join('; ')}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Only a disabled secret is refused. "A secret's get operation will work for not-yet-valid and expired secrets,
 * outside the nbf / exp window" (https://learn.microsoft.com/azure/key-vault/secrets/about-secrets#date-time-controlled-operations),
 * so exp and nbf protect nothing here, as in a real vault.
 */
function usable(version: SecretVersion): void {
  if (!version.enabled) throw new VaultError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
}

/**
 * Secret names are case-insensitive in Key Vault (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers):
 * the stored spelling of a name that differs only in case, else the name as given.
 */
function keyOf(entries: Record<string, unknown>, name: string): string {
  if (name in entries) return name;
  const lower = name.toLowerCase();
  return Object.keys(entries).find((k) => k.toLowerCase() === lower) ?? name;
}

/**
 * A purge finishes asynchronously: for a few seconds the name is neither live nor deleted, and a set gets 409
 * ObjectIsBeingDeleted ("Secret … is currently being deleted and cannot be re-created; retry later.", as real
 * vaults answer: https://github.com/Azure/azure-sdk-for-net/issues/34322, https://github.com/Azure/azure-sdk-for-net/issues/26027).
 */
function beingPurged(core: Core, name: string): boolean {
  const until = core.purging.get(name.toLowerCase());
  if (until === undefined) return false;
  if (until > core.now()) return true;
  core.purging.delete(name.toLowerCase());
  return false;
}

function attributesFrom(input: unknown, into: Partial<SecretVersion>): void {
  const a = (input ?? {}) as { enabled?: boolean; nbf?: number; exp?: number };
  if (a.enabled !== undefined) into.enabled = a.enabled;
  if (a.nbf !== undefined) into.nbf = a.nbf;
  if (a.exp !== undefined) into.exp = a.exp;
}

type Handler = (core: Core, req: LocalRequest, params: string[]) => Reply;

const routes: { method: string; pattern: RegExp; operation: string; action: Action; handler: Handler }[] = [
  { method: 'GET', pattern: /^\/secrets\/?$/i, operation: '/secrets', action: 'list', handler: (core, req) => listPage(req, Object.entries(core.state.vault.secrets).map(([name, v]) => secretItem(req, name, v[v.length - 1], false))) },
  { method: 'GET', pattern: /^\/deletedsecrets\/?$/i, operation: '/deletedsecrets', action: 'list', handler: (core, req) => listPage(req, Object.entries(core.state.vault.deleted).map(([name, d]) => deletedItem(req, name, d))) },
  {
    method: 'PUT', pattern: /^\/secrets\/([^/]+)\/?$/i, operation: '/secrets/{secret-name}', action: 'set', handler: (core, req, [name]) => {
      const input = body(req, '/secrets/{secret-name}', core);
      const vault = core.state.vault;
      if (beingPurged(core, name)) throw new VaultError(409, 'Conflict', `Secret ${name} is currently being deleted and cannot be re-created; retry later.`, 'ObjectIsBeingDeleted');
      if (vault.deleted[name]) throw new VaultError(409, 'Conflict', `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`, 'ObjectIsDeletedButRecoverable');
      const value = input.value as string;
      if (value.length > 25 * 1024) throw bad('The secret value is larger than 25 KB.');
      const now = Math.floor(core.now() / 1000);
      const version: SecretVersion = { version: newVaultVersion(), value, enabled: true, created: now, updated: now };
      if (typeof input.contentType === 'string') version.contentType = input.contentType;
      if (input.tags) version.tags = input.tags as Record<string, string>;
      attributesFrom(input.attributes, version);
      vault.secrets[name] = [...(vault.secrets[name] ?? []), version];
      core.changed();
      return { status: 200, json: secretBundle(req, name, version, true) };
    },
  },
  {
    method: 'DELETE', pattern: /^\/secrets\/([^/]+)\/?$/i, operation: '/secrets/{secret-name}', action: 'delete', handler: (core, req, [name]) => {
      const vault = core.state.vault;
      const versions = vault.secrets[name];
      if (!versions) throw notFound(name);
      const now = Math.floor(core.now() / 1000);
      vault.deleted[name] = { versions, deletedDate: now, scheduledPurgeDate: now + RETENTION_DAYS * 24 * 3600 };
      delete vault.secrets[name];
      core.changed();
      return { status: 200, json: deletedBundle(req, name, vault.deleted[name]) };
    },
  },
  {
    method: 'GET', pattern: /^\/secrets\/([^/]+)\/versions\/?$/i, operation: '/secrets/{secret-name}/versions', action: 'list', handler: (core, req, [name]) => {
      const versions = core.state.vault.secrets[name];
      if (!versions) throw notFound(name);
      return listPage(req, versions.map((v) => secretItem(req, name, v, true)));
    },
  },
  {
    method: 'GET', pattern: /^\/secrets\/([^/]+)(?:\/([^/]*))?\/?$/i, operation: '/secrets/{secret-name}/{secret-version}', action: 'get', handler: (core, req, [name, wanted]) => {
      const versions = core.state.vault.secrets[name];
      const version = wanted ? versions?.find((v) => v.version === wanted) : versions?.[versions.length - 1];
      if (!version) throw notFound(wanted ? `${name}/${wanted}` : name);
      usable(version);
      return { status: 200, json: secretBundle(req, name, version, true) };
    },
  },
  {
    method: 'PATCH', pattern: /^\/secrets\/([^/]+)(?:\/([^/]*))?\/?$/i, operation: '/secrets/{secret-name}/{secret-version}', action: 'update', handler: (core, req, [name, wanted]) => {
      const input = body(req, '/secrets/{secret-name}/{secret-version}', core);
      const versions = core.state.vault.secrets[name];
      const version = wanted ? versions?.find((v) => v.version === wanted) : versions?.[versions.length - 1];
      if (!version) throw notFound(wanted ? `${name}/${wanted}` : name);
      if (typeof input.contentType === 'string') version.contentType = input.contentType;
      if (input.tags) version.tags = input.tags as Record<string, string>;
      attributesFrom(input.attributes, version);
      version.updated = Math.floor(core.now() / 1000);
      core.changed();
      return { status: 200, json: secretBundle(req, name, version, false) };
    },
  },
  {
    method: 'GET', pattern: /^\/deletedsecrets\/([^/]+)\/?$/i, operation: '/deletedsecrets/{secret-name}', action: 'get', handler: (core, req, [name]) => {
      const deleted = core.state.vault.deleted[name];
      if (!deleted) throw new VaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
      return { status: 200, json: deletedBundle(req, name, deleted) };
    },
  },
  {
    method: 'DELETE', pattern: /^\/deletedsecrets\/([^/]+)\/?$/i, operation: '/deletedsecrets/{secret-name}', action: 'purge', handler: (core, _req, [name]) => {
      if (!core.state.vault.deleted[name]) throw new VaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
      delete core.state.vault.deleted[name];
      if (core.purgeDelayMs > 0) core.purging.set(name.toLowerCase(), core.now() + core.purgeDelayMs);
      core.changed();
      return { status: 204 };
    },
  },
  {
    method: 'POST', pattern: /^\/deletedsecrets\/([^/]+)\/recover\/?$/i, operation: '/deletedsecrets/{secret-name}/recover', action: 'recover', handler: (core, req, [name]) => {
      const vault = core.state.vault;
      const deleted = vault.deleted[name];
      if (!deleted) throw new VaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
      if (vault.secrets[name]) throw new VaultError(409, 'Conflict', `Secret ${name} already exists.`);
      vault.secrets[name] = deleted.versions;
      delete vault.deleted[name];
      core.changed();
      return { status: 200, json: secretBundle(req, name, deleted.versions[deleted.versions.length - 1], false) };
    },
  },
];

export function vaultErrorReply(error: VaultError, req: LocalRequest): Reply {
  return { status: error.status, headers: { ...error.headers, 'x-ms-request-id': req.requestId }, json: { error: { code: error.code, message: error.message, ...(error.innerCode ? { innererror: { code: error.innerCode } } : {}) } } };
}

export function handleVault(core: Core, req: LocalRequest): Reply {
  let reply: Reply;
  let operation: string | undefined;
  try {
    const apiVersion = req.query.get('api-version');
    if (!apiVersion) throw bad('The request URI is missing the api-version query parameter.');
    if (!SUPPORTED_API_VERSIONS.has(apiVersion)) throw bad(`The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (2025-07-01).`);
    const pathMatches = routes.filter((r) => r.pattern.test(req.path));
    const route = pathMatches.find((r) => r.method === req.method);
    if (!route) throw new VaultError(pathMatches.length ? 405 : 404, pathMatches.length ? 'MethodNotAllowed' : 'NotFound', `The local vault does not support ${req.method} ${req.path}.`);
    operation = route.operation;
    const params = (route.pattern.exec(req.path) ?? []).slice(1).map((p) => p ?? '');
    if (params[0]) {
      checkName(params[0]);
      params[0] = keyOf({ ...core.state.vault.secrets, ...core.state.vault.deleted }, params[0]);
    }
    authorize(core, req, route.action, params[0] ?? '');
    reply = route.handler(core, req, params);
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    reply = vaultErrorReply(error, req);
  }
  if (core.contracts === 'enforce' && operation && reply.json !== undefined) {
    const errors = checkBody({ service: 'vault', path: operation, method: req.method }, 'response', reply.status, reply.json);
    if (errors.length > 0) {
      const violation = { service: 'vault' as const, direction: 'response' as const, method: req.method, url: req.path, operation, status: reply.status, errors: describeErrors(errors) };
      core.violations.push(violation);
      reply = vaultErrorReply(new VaultError(500, 'ContractViolation', `The local vault's response broke the Key Vault contract: ${violation.errors.join('; ')}`), req);
    }
  }
  reply.headers = { ...reply.headers, 'x-ms-request-id': req.requestId, 'x-ms-keyvault-service-version': '1.9.0.0', 'x-ms-keyvault-network-info': 'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;', 'Cache-Control': 'no-cache' };
  return reply;
}
