import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import type { Core } from './core';
import { EntraError } from './errors';
import type { LocalRequest, Reply } from './http';
import { hashSecret } from './ids';
import { decodeJwt, verifySignature } from './jwt';
import { MICROSOFT_GRAPH_APP_ID, type PasswordCredential, type StoredObject } from './model';
import { findApplication, findServicePrincipalByAppId, isVisible } from './tenant';
import { handleAuthorize, redeemCode } from './signin';

/** Entra's token service, as far as the client credentials flow goes. */
const TOKEN_LIFETIME = 3599;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
export const VAULT_AUDIENCE = 'https://vault.azure.net';

export function issuerFor(origin: string, tenantId: string): string {
  return `${origin}/${tenantId}/v2.0`;
}

/** The tenant the path names, by id or verified domain. */
function resolveTenant(core: Core, name: string): boolean {
  const t = core.state.tenant;
  return name.toLowerCase() === t.id || t.verifiedDomains.includes(name.toLowerCase());
}

/**
 * `common` and `organizations` serve metadata whose issuer holds the literal `{tenantid}`, as Entra's do
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri);
 * tokens need a tenant, so their token endpoint stays refused here.
 */
const MULTI_TENANT = new Set(['common', 'organizations']);

/** MSAL's instance discovery (`/common/discovery/instance`): the authority is known and its aliases are itself. */
function instanceDiscovery(req: LocalRequest): Reply {
  const host = new URL(req.origin).host;
  // The tenant comes from the authorization_endpoint the client asks about, as Entra's answer does.
  let tenant = 'common';
  try {
    tenant = new URL(req.query.get('authorization_endpoint') ?? '').pathname.split('/').filter(Boolean)[0] ?? 'common';
  } catch {
    tenant = 'common';
  }
  return {
    status: 200,
    json: {
      tenant_discovery_endpoint: `${req.origin}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
  };
}

export function entraErrorReply(error: EntraError, req: LocalRequest): Reply {
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const trace = req.requestId;
  const correlation = req.headers['client-request-id'] ?? req.requestId;
  return {
    status: error.status,
    headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', 'x-ms-request-id': trace },
    json: {
      error: error.error,
      error_description: `AADSTS${error.aadsts}: ${error.message} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [error.aadsts], timestamp, trace_id: trace, correlation_id: correlation, error_uri: `${req.origin}/error?code=${error.aadsts}`,
    },
  };
}

function openIdConfiguration(req: LocalRequest, tenantId: string, pathTenant = tenantId): Reply {
  const base = `${req.origin}/${pathTenant}`;
  const host = new URL(req.origin).host;
  return {
    status: 200,
    json: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: issuerFor(req.origin, MULTI_TENANT.has(pathTenant) ? '{tenantid}' : tenantId),
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${req.origin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      tenant_region_scope: 'EU', cloud_instance_name: host, cloud_graph_host_name: host, msgraph_host: host, rbac_url: req.origin,
    },
  };
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
  return value;
}

function checkSecret(app: StoredObject, secret: string, now: number): void {
  const appId = String(app.data.appId);
  const hash = hashSecret(secret);
  const match = Object.entries(app.meta.secretHashes ?? {}).find(([, h]) => h === hash);
  const credential = match && (app.data.passwordCredentials as PasswordCredential[]).find((p) => p.keyId === match[0]);
  if (!credential) {
    throw new EntraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`);
  }
  if (credential.endDateTime && Date.parse(credential.endDateTime) < now) {
    throw new EntraError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
  }
}

/** A certificate client_assertion (RFC 7523), signed by a certificate registered in the app's keyCredentials. */
function checkAssertion(app: StoredObject, assertion: string, tokenEndpoint: string, now: number): void {
  const appId = String(app.data.appId);
  const jwt = decodeJwt(assertion);
  if (!jwt) throw new EntraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  const sha1 = typeof jwt.header.x5t === 'string' ? Buffer.from(jwt.header.x5t, 'base64url').toString('hex') : undefined;
  const sha256 = typeof jwt.header['x5t#S256'] === 'string' ? Buffer.from(jwt.header['x5t#S256'] as string, 'base64url').toString('hex') : undefined;
  const certificate = Object.values(app.meta.certificates ?? {}).map((der) => new X509Certificate(Buffer.from(der, 'base64'))).find((cert) =>
    (sha1 && createHash('sha1').update(cert.raw).digest('hex') === sha1.toLowerCase()) || (sha256 && createHash('sha256').update(cert.raw).digest('hex') === sha256.toLowerCase()));
  if (!certificate) {
    throw new EntraError(401, 'invalid_client', 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${(sha1 ?? sha256 ?? '').toUpperCase()}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'.]`);
  }
  if (!verifySignature(jwt, certificate.publicKey, String(jwt.header.alg))) throw new EntraError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
  const seconds = Math.floor(now / 1000);
  const { exp, nbf, aud, iss, sub } = jwt.claims;
  if (typeof exp !== 'number' || exp < seconds - 300 || (typeof nbf === 'number' && nbf > seconds + 300) || Date.parse(certificate.validTo) < now) {
    throw new EntraError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
  }
  if (aud !== tokenEndpoint) throw new EntraError(401, 'invalid_client', 700212, `No matching federated identity record found for presented assertion audience '${String(aud)}'.`);
  if (iss !== appId || sub !== appId) throw new EntraError(401, 'invalid_client', 700021, 'Client assertion application identifier doesn\'t match \'client_id\' parameter.');
}

/** The resource a `.default` scope names: a service principal, by appId or one of its servicePrincipalNames. */
function resolveResource(core: Core, scope: string): { sp: StoredObject; audience: string } {
  const resources = scope.split(/\s+/).filter((s) => s && !['openid', 'profile', 'offline_access', 'email'].includes(s));
  const invalid = resources.find((s) => !s.endsWith('/.default'));
  if (invalid || resources.length !== 1) {
    throw new EntraError(400, 'invalid_scope', 1002012, `The provided value for scope ${invalid ?? scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const resource = resources[0].slice(0, -'/.default'.length);
  const key = resource.toLowerCase().replace(/\/$/, '');
  const sp = Object.values(core.state.servicePrincipals).find((s) => String(s.data.appId).toLowerCase() === key
    || ((s.data.servicePrincipalNames as string[]) ?? []).some((n) => n.toLowerCase().replace(/\/$/, '') === key));
  if (!sp) {
    throw new EntraError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${core.state.tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
  }
  const appId = String(sp.data.appId);
  const audience = appId === MICROSOFT_GRAPH_APP_ID ? GRAPH_AUDIENCE : appId === 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093' ? VAULT_AUDIENCE : appId;
  return { sp, audience };
}

/**
 * A disabled enterprise app gets no tokens at all, for itself or for people signing in to it: "AADSTS7000112:
 * Application '{appId}'({name}) is disabled." (https://learn.microsoft.com/entra/identity-platform/reference-error-codes,
 * UnauthorizedClientApplicationDisabled; https://learn.microsoft.com/entra/identity/enterprise-apps/disable-user-sign-in-portal:
 * disabling "prevents all tokens from being issued for that application"; deactivate-application-portal: it "stops
 * receiving new access tokens"). So the token endpoint refuses every grant, and the sign-in page refuses to start.
 */
export function refuseDisabledApplication(sp: StoredObject | undefined, app: StoredObject): void {
  if (sp?.data.accountEnabled !== false) return;
  throw new EntraError(400, 'unauthorized_client', 7000112, `Application '${String(app.data.appId)}'(${String(app.data.displayName)}) is disabled.`);
}

function issueToken(core: Core, req: LocalRequest, tenantId: string): Reply {
  const form = new URLSearchParams(req.bodyText);
  const grantType = required(form, 'grant_type');
  if (grantType !== 'client_credentials' && grantType !== 'authorization_code') throw new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  // client_secret_basic (RFC 6749 §2.3.1, listed in token_endpoint_auth_methods_supported): id and secret in an
  // Authorization: Basic header, each form-urlencoded first.
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new EntraError(401, 'invalid_client', 7000218, 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.');
    const id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    if (form.get('client_id') && form.get('client_id') !== id) throw new EntraError(401, 'invalid_client', 700021, 'The client_id in the Authorization header does not match the one in the request body.');
    form.set('client_id', id);
    form.set('client_secret', decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')));
  }
  const clientId = required(form, 'client_id');
  const now = core.now();
  const app = findApplication(core.state, { by: 'appId', value: clientId });
  if (!isVisible(app, now)) {
    throw new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${core.state.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  const tokenEndpoint = `${req.origin}/${tenantId}/oauth2/v2.0/token`;
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret) checkSecret(app, secret, now);
  else if (assertion) {
    if (form.get('client_assertion_type') !== JWT_BEARER) throw new EntraError(400, 'invalid_request', 900144, 'The request body must contain the following parameter: \'client_assertion_type\'.');
    checkAssertion(app, assertion, tokenEndpoint, now);
  } else {
    throw new EntraError(401, 'invalid_client', 7000218, 'The request body must contain the following parameter: \'client_assertion\' or \'client_secret\'.');
  }
  const clientSp = findServicePrincipalByAppId(core.state, clientId);
  refuseDisabledApplication(clientSp, app);
  // Interactive sign-in (signin.ts): the client is authenticated above, the code and its PKCE verifier there.
  if (grantType === 'authorization_code') return redeemCode(core, req, tenantId, form, clientId);
  if (!isVisible(clientSp, now)) {
    throw new EntraError(400, 'invalid_client', 7000229, `The client application ${clientId} is missing service principal in the tenant ${core.state.tenant.id}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`);
  }
  const { sp: resource, audience } = resolveResource(core, required(form, 'scope'));
  const roleIds = new Set(Object.values(core.state.appRoleAssignments).filter((a) => a.principalId === clientSp.data.id && a.resourceId === resource.data.id).map((a) => a.appRoleId));
  const roles = ((resource.data.appRoles as { id: string; value: string }[]) ?? []).filter((r) => roleIds.has(r.id)).map((r) => r.value);
  const iat = Math.floor(now / 1000);
  // Client credentials tokens for Microsoft Graph and Key Vault are v1.0 tokens, whatever endpoint issued them: issuer
  // sts.windows.net, appid/appidacr and no azp (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
  const v1Issuer = `https://sts.windows.net/${core.state.tenant.id}/`;
  const claims: Record<string, unknown> = {
    aud: audience, iss: v1Issuer, iat, nbf: iat, exp: iat + TOKEN_LIFETIME,
    aio: randomBytes(24).toString('base64url'), app_displayname: app.data.displayName, appid: clientId, appidacr: secret ? '1' : '2',
    idp: v1Issuer, idtyp: 'app', oid: clientSp.data.id,
    rh: randomBytes(16).toString('base64url'), sub: clientSp.data.id, tid: core.state.tenant.id, uti: randomBytes(16).toString('base64url'), ver: '1.0',
  };
  // Entra leaves the roles claim out altogether when nothing is granted.
  if (roles.length > 0) claims.roles = roles;
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', 'x-ms-request-id': req.requestId },
    json: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME, ext_expires_in: TOKEN_LIFETIME, access_token: core.signingKey.sign(claims) },
  };
}

const ROUTE = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|\.well-known\/openid-configuration|discovery\/v2\.0\/keys|discovery\/keys|discovery\/instance|oauth2\/v2\.0\/token|oauth2\/v2\.0\/authorize)$/i;

export function isEntraPath(path: string): boolean {
  return ROUTE.test(path);
}

export function handleEntra(core: Core, req: LocalRequest): Reply {
  const match = ROUTE.exec(req.path);
  if (!match) return { status: 404, json: { error: 'not_found' } };
  const [, tenant, endpoint] = match;
  try {
    const lowerTenant = tenant.toLowerCase();
    const lowerEndpoint = endpoint.toLowerCase();
    if (lowerTenant === 'common' && lowerEndpoint === 'discovery/instance' && (req.method === 'GET' || req.method === 'HEAD')) return instanceDiscovery(req);
    if (MULTI_TENANT.has(lowerTenant) && (lowerEndpoint.includes('openid-configuration') || lowerEndpoint.includes('keys')) && (req.method === 'GET' || req.method === 'HEAD')) {
      if (lowerEndpoint.includes('keys')) return { status: 200, json: { keys: [core.signingKey.jwk()] } };
      return openIdConfiguration(req, core.state.tenant.id, lowerTenant);
    }
    if (!resolveTenant(core, tenant) || lowerEndpoint === 'discovery/instance') {
      throw new EntraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
    }
    const tenantId = core.state.tenant.id;
    const lower = endpoint.toLowerCase();
    if (lower.endsWith('token')) {
      if (req.method !== 'POST') throw new EntraError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
      return issueToken(core, req, tenantId);
    }
    if (lower.endsWith('authorize')) return handleAuthorize(core, req, tenantId);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new EntraError(405, 'invalid_request', 900561, 'The endpoint only accepts GET requests.');
    if (lower.includes('keys')) return { status: 200, json: { keys: [core.signingKey.jwk()] } };
    return openIdConfiguration(req, tenantId);
  } catch (error) {
    if (error instanceof EntraError) return entraErrorReply(error, req);
    throw error;
  }
}
