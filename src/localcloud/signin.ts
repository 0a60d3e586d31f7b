import { createHash, generateKeyPairSync, createSign, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Core } from './core';
import { EntraError } from './errors';
import type { LocalRequest, Reply } from './http';
import { newGuid } from './ids';
import { GRAPH_AUDIENCE, issuerFor, refuseDisabledApplication } from './entra';
import type { StoredObject, User } from './model';
import { findApplication, findServicePrincipalByAppId, isVisible } from './tenant';

/**
 * Entra's interactive sign-in, as far as a confidential web app's authorization code flow with PKCE goes
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow):
 *   GET  /{tenant}/oauth2/v2.0/authorize   a page listing the tenant's people (no passwords locally)
 *   POST /{tenant}/oauth2/v2.0/authorize   the person picked: 302 to the redirect URI with code and state
 *   POST /{tenant}/oauth2/v2.0/token       grant_type=authorization_code (entra.ts authenticates the client, then calls redeemCode)
 * Codes live 10 minutes, are redeemed once, and only with the verifier of their challenge. Refusals carry the
 * AADSTS codes Entra documents (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 * Codes are kept in memory only: a restart forgets them, as a real code is useless after ten minutes anyway.
 */
const CODE_LIFETIME_MS = 10 * 60_000;
const ID_TOKEN_LIFETIME = 3600;

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  nonce?: string;
  challenge?: string;
  challengeMethod?: string;
  expiresAt: number;
  redeemed: boolean;
}

/** A test's instruction to spoil the next ID token the token endpoint issues (attack tests of the relying party). */
export interface IdTokenTampering {
  /** Claims to overwrite; `undefined` removes one. */
  claims?: Record<string, unknown>;
  /** Sign with a key that is not in the tenant's JWKS. */
  foreignKey?: boolean;
}

interface SignInState {
  codes: Map<string, IssuedCode>;
  tampering: IdTokenTampering[];
}

const states = new WeakMap<Core, SignInState>();
function stateOf(core: Core): SignInState {
  let state = states.get(core);
  if (!state) states.set(core, (state = { codes: new Map(), tampering: [] }));
  return state;
}

export function tamperNextIdToken(core: Core, tampering: IdTokenTampering): void {
  stateOf(core).tampering.push(tampering);
}

/** Adds a web redirect URI to an app, as an administrator would in the portal (Authentication › Web). */
export function registerRedirectUri(core: Core, appId: string, uri: string): void {
  const app = findApplication(core.state, { by: 'appId', value: appId });
  if (!app) throw new Error(`no application with appId ${appId}`);
  const web = (app.data.web ??= { redirectUris: [] }) as { redirectUris: string[] };
  if (!web.redirectUris.includes(uri)) web.redirectUris.push(uri);
  core.changed();
}

/** `POST /_localcloud/signin/redirect-uris {appId, uri}`: `onboard dev` registers the bot's sign-in redirect here. */
export function handleSignInAdmin(core: Core, req: LocalRequest): Reply | undefined {
  if (req.method !== 'POST' || req.path.replace(/\/$/, '') !== '/_localcloud/signin/redirect-uris') return undefined;
  const body = JSON.parse(req.bodyText || '{}') as { appId?: string; uri?: string };
  if (!body.appId || !body.uri || !/^https?:\/\//.test(body.uri)) throw new Error('appId and an http(s) uri are required');
  registerRedirectUri(core, body.appId, body.uri);
  return { status: 204 };
}

const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function html(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return {
    status, contentType: 'text/html; charset=utf-8',
    headers: { 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'", ...headers },
    text: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · local cloud</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}button{font:inherit;width:100%;text-align:left;padding:.6rem;margin:.2rem 0;cursor:pointer}.error{border-left:4px solid #c50;padding:.5rem}small{opacity:.7}</style>
</head><body><main>${body}</main></body></html>`,
  };
}

/** Before the redirect URI is trusted, Entra shows its error on its own page rather than redirecting. */
function errorPage(error: EntraError): Reply {
  return html(error.status, `<h1>Sorry, but we're having trouble signing you in.</h1><p class="error">AADSTS${error.aadsts}: ${esc(error.message)}</p>`);
}

interface AuthorizeParams {
  params: URLSearchParams;
  app: StoredObject;
  clientId: string;
  redirectUri: string;
}

/** The checks Entra makes before it trusts the redirect URI enough to send errors there. */
function checkClient(core: Core, params: URLSearchParams): AuthorizeParams {
  const clientId = params.get('client_id');
  if (!clientId) throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const app = findApplication(core.state, { by: 'appId', value: clientId });
  if (!isVisible(app, core.now())) {
    throw new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${core.state.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  refuseDisabledApplication(findServicePrincipalByAppId(core.state, clientId), app);
  const redirectUri = params.get('redirect_uri') ?? '';
  const registered = ((app.data.web as { redirectUris?: string[] } | undefined)?.redirectUris ?? []);
  // Entra compares redirect URIs exactly (case and trailing slash included, apart from the host's case).
  if (!registered.includes(redirectUri)) {
    throw new EntraError(400, 'invalid_request', 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`);
  }
  return { params, app, clientId, redirectUri };
}

function redirectWith(redirectUri: string, values: Record<string, string | undefined>): Reply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(values)) if (v !== undefined) url.searchParams.set(k, v);
  return { status: 302, headers: { Location: url.toString(), 'Cache-Control': 'no-store' } };
}

function redirectError(checked: AuthorizeParams, error: string, aadsts: number, message: string): Reply {
  return redirectWith(checked.redirectUri, { error, error_description: `AADSTS${aadsts}: ${message}`, error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`, state: checked.params.get('state') ?? undefined });
}

/** The request's own problems, which Entra reports to the redirect URI once that URI is trusted. */
function requestProblem(checked: AuthorizeParams): Reply | undefined {
  const p = checked.params;
  const responseType = (p.get('response_type') ?? '').split(' ');
  if (!responseType.includes('code')) return redirectError(checked, 'unsupported_response_type', 700054, "response_type 'id_token' is not enabled for the application.");
  const mode = p.get('response_mode') ?? 'query';
  if (mode !== 'query') return redirectError(checked, 'invalid_request', 900144, `The local cloud answers only response_mode=query (got '${mode}').`);
  const scopes = (p.get('scope') ?? '').split(/\s+/);
  if (!scopes.includes('openid')) return redirectError(checked, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope' with 'openid'.");
  const method = p.get('code_challenge_method');
  if (p.get('code_challenge') && method && method !== 'S256' && method !== 'plain') return redirectError(checked, 'invalid_request', 501491, 'Invalid code_challenge_method.');
  return undefined;
}

function userList(core: Core): User[] {
  return Object.values(core.state.users).sort((a, b) => a.displayName.localeCompare(b.displayName));
}

function signInPage(core: Core, checked: AuthorizeParams, problem?: string): Reply {
  const hidden = [...checked.params.entries()].filter(([k]) => k !== 'login_hint')
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  const buttons = userList(core).map((u) => `<form method="post">${hidden}<input type="hidden" name="login_hint" value="${esc(u.userPrincipalName)}"><button type="submit">${esc(u.displayName)} <small>${esc(u.userPrincipalName)}</small></button></form>`).join('');
  const hint = checked.params.get('login_hint') ?? '';
  return html(problem ? 400 : 200, `<h1>Sign in to ${esc(core.state.tenant.displayName)}</h1>
<p>${esc(checked.app.data.displayName)} asks who you are. This is the local cloud: pick a person, or type a user name. There is no password.</p>
${problem ? `<p class="error">${esc(problem)}</p>` : ''}${buttons}
<form method="post">${hidden}<label>User name <input name="login_hint" type="email" value="${esc(hint)}" autocomplete="username"></label> <button type="submit">Sign in</button></form>`);
}

export function handleAuthorize(core: Core, req: LocalRequest, tenantId: string): Reply {
  const params = req.method === 'POST' ? new URLSearchParams(req.bodyText) : req.query;
  let checked: AuthorizeParams;
  try {
    checked = checkClient(core, params);
  } catch (error) {
    if (error instanceof EntraError) return errorPage(error);
    throw error;
  }
  const problem = requestProblem(checked);
  if (problem) return problem;
  if (req.method !== 'POST') return signInPage(core, checked);
  const upn = (params.get('login_hint') ?? '').trim().toLowerCase();
  const user = userList(core).find((u) => u.userPrincipalName.toLowerCase() === upn);
  if (!user) return signInPage(core, checked, `AADSTS50034: The user account ${upn || '(empty)'} does not exist in the '${tenantId}' directory. To sign into this application, the account must be added to the directory.`);
  const state = stateOf(core);
  const now = core.now();
  for (const [key, c] of state.codes) if (c.expiresAt < now) state.codes.delete(key);
  const code = `1.A${randomBytes(48).toString('base64url')}`;
  state.codes.set(code, {
    clientId: checked.clientId, redirectUri: checked.redirectUri, userId: user.id, nonce: params.get('nonce') ?? undefined,
    challenge: params.get('code_challenge') ?? undefined, challengeMethod: params.get('code_challenge_method') ?? undefined,
    expiresAt: now + CODE_LIFETIME_MS, redeemed: false,
  });
  return redirectWith(checked.redirectUri, { code, state: params.get('state') ?? undefined, session_state: newGuid() });
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `grant_type=authorization_code`, after entra.ts has authenticated the client. */
export function redeemCode(core: Core, req: LocalRequest, tenantId: string, form: URLSearchParams, clientId: string): Reply {
  const value = form.get('code');
  if (!value) throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
  const codes = stateOf(core).codes;
  const code = codes.get(value);
  if (!code || code.clientId.toLowerCase() !== clientId.toLowerCase()) throw new EntraError(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
  if (code.redeemed) throw new EntraError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  if (code.expiresAt < core.now()) throw new EntraError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
  if (form.get('redirect_uri') !== code.redirectUri) throw new EntraError(400, 'invalid_grant', 500112, `The reply address '${form.get('redirect_uri') ?? ''}' does not match the reply address '${code.redirectUri}' provided when requesting Authorization code.`);
  if (code.challenge) {
    const verifier = form.get('code_verifier') ?? '';
    const derived = code.challengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
    if (!verifier || !equal(derived, code.challenge)) throw new EntraError(400, 'invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
  }
  // Redeemed only now: a failed attempt (a wrong verifier) does not burn the code, as in Entra.
  code.redeemed = true;
  const user = core.state.users[code.userId];
  const iat = Math.floor(core.now() / 1000);
  const issuer = issuerFor(req.origin, tenantId);
  const idClaims: Record<string, unknown> = {
    aud: clientId, iss: issuer, iat, nbf: iat, exp: iat + ID_TOKEN_LIFETIME,
    aio: randomBytes(24).toString('base64url'), name: user.displayName, oid: user.id, preferred_username: user.userPrincipalName,
    rh: randomBytes(16).toString('base64url'), sid: newGuid(), sub: createHash('sha256').update(`${user.id}|${clientId}`).digest('base64url').slice(0, 43),
    tid: core.state.tenant.id, uti: randomBytes(16).toString('base64url'), ver: '2.0',
  };
  if (code.nonce) idClaims.nonce = code.nonce;
  const accessClaims = {
    aud: GRAPH_AUDIENCE, iss: `https://sts.windows.net/${tenantId}/`, iat, nbf: iat, exp: iat + ID_TOKEN_LIFETIME, appid: clientId, azp: clientId,
    idtyp: 'user', name: user.displayName, oid: user.id, scp: 'openid profile email User.Read', sub: idClaims.sub, tid: core.state.tenant.id, upn: user.userPrincipalName, ver: '1.0',
  };
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', 'x-ms-request-id': req.requestId },
    json: {
      token_type: 'Bearer', scope: 'openid profile email https://graph.microsoft.com/User.Read', expires_in: ID_TOKEN_LIFETIME, ext_expires_in: ID_TOKEN_LIFETIME,
      access_token: core.signingKey.sign(accessClaims), id_token: spoil(core, idClaims),
      client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: core.state.tenant.id })).toString('base64url'),
    },
  };
}

let foreignKey: ReturnType<typeof generateKeyPairSync> | undefined;

function spoil(core: Core, claims: Record<string, unknown>): string {
  const tampering = stateOf(core).tampering.shift();
  if (!tampering) return core.signingKey.sign(claims);
  for (const [k, v] of Object.entries(tampering.claims ?? {})) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  if (!tampering.foreignKey) return core.signingKey.sign(claims);
  foreignKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  // Same kid as the tenant's key, so only the signature check can tell.
  const header = { typ: 'JWT', alg: 'RS256', kid: core.signingKey.kid, x5t: core.signingKey.kid };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(foreignKey.privateKey).toString('base64url')}`;
}
