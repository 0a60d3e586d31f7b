import { MICROSOFT_GRAPH_APP_ID } from '../domain/provisioning';

/**
 * `npm run register-signin-app -- --env dev`: the app registration the one-time link page signs people in with
 * (docs/secrets.md › Sign-in before Reveal, docs/deploy.md › Sign-in app). Onboard's own identity is a managed
 * identity, which cannot hold redirect URIs, so this is a separate app: single tenant, one web redirect URI
 * (`https://<BOT_DOMAIN>/secrets/signin`), only `openid profile` (consented for the tenant, so nobody sees a
 * consent prompt), no secret: it trusts the managed identity through a federated identity credential.
 * Safe to run again: every step finds what an earlier run made.
 */
export class RegisterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegisterError';
  }
}

export interface RegisterOptions {
  graphBaseUrl: string;
  /** An admin's delegated Graph token (Application.ReadWrite.All, DelegatedPermissionGrant.ReadWrite.All). */
  accessToken: string;
  tenantId: string;
  /** BOT_DOMAIN: the web app's host name. */
  hostName: string;
  /** MANAGED_IDENTITY_PRINCIPAL_ID: the identity the app trusts. Absent: no federated credential (the local cloud does not emulate them). */
  managedIdentityPrincipalId?: string;
  /** The environment's name, so two environments in one tenant get two apps. */
  environment: string;
}

export interface RegisterReport {
  clientId: string;
  redirectUri: string;
  created: boolean;
  federated: boolean;
}

/** Microsoft Graph's delegated `openid` and `profile` scopes (the same ids in every tenant). */
const OPENID = '37f7f235-527c-4136-accd-4a02d197296e';
const PROFILE = '14dad69e-099b-42c9-810b-d002981feec1';

type Reply = { status: number; body: Record<string, unknown> };

async function call(options: RegisterOptions, method: string, path: string, body?: object, headers: Record<string, string> = {}): Promise<Reply> {
  let response: Response;
  try {
    response = await fetch(`${options.graphBaseUrl.replace(/\/$/, '')}${path}`, {
      method, headers: { Authorization: `Bearer ${options.accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new RegisterError(`Could not reach Microsoft Graph at ${options.graphBaseUrl}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // A non-JSON error page: the status says enough.
  }
  return { status: response.status, body: parsed };
}

function failure(reply: Reply, doing: string): RegisterError {
  const error = reply.body.error as { code?: string; message?: string } | undefined;
  const detail = error?.message ? `: ${error.code ?? ''} ${error.message}`.trimEnd() : '';
  const who = reply.status === 401 || reply.status === 403 ? ' Sign in as an Application Administrator (or Cloud Application Administrator) who may also grant consent: az login --tenant <tenant id>.' : '';
  return new RegisterError(`Microsoft Graph could not ${doing} (HTTP ${reply.status}${detail}).${who}`);
}

export async function registerSignInApp(options: RegisterOptions): Promise<RegisterReport> {
  if (!/^[a-z0-9.-]+$/i.test(options.hostName)) throw new RegisterError(`BOT_DOMAIN must be a host name such as onboard-dev.azurewebsites.net (got "${options.hostName}").`);
  const redirectUri = `https://${options.hostName}/secrets/signin`;
  const uniqueName = `onboard-signin-${options.environment}`;
  const upsert = await call(options, 'PATCH', `/applications(uniqueName='${uniqueName}')`, {
    displayName: `Onboard sign-in (${options.environment})`, signInAudience: 'AzureADMyOrg',
    web: { redirectUris: [redirectUri] },
    requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: OPENID, type: 'Scope' }, { id: PROFILE, type: 'Scope' }] }],
  }, { Prefer: 'create-if-missing' });
  if (upsert.status !== 201 && upsert.status !== 204) throw failure(upsert, 'create or update the sign-in app');
  const read = await call(options, 'GET', `/applications(uniqueName='${uniqueName}')?$select=id,appId`);
  if (read.status !== 200) throw failure(read, 'read the sign-in app');
  const app = { id: String(read.body.id), appId: String(read.body.appId) };

  const sps = await call(options, 'GET', `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}&$select=id`);
  if (sps.status !== 200) throw failure(sps, 'look up the sign-in app\'s service principal');
  let spId = (sps.body.value as { id: string }[] | undefined)?.[0]?.id;
  if (!spId) {
    const created = await call(options, 'POST', '/servicePrincipals', { appId: app.appId });
    if (created.status !== 201) throw failure(created, 'create the sign-in app\'s service principal');
    spId = String(created.body.id);
  }

  // Tenant-wide consent to openid and profile only: people signing in are never asked, and the app can read nothing.
  const graph = await call(options, 'GET', `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${MICROSOFT_GRAPH_APP_ID}'`)}&$select=id`);
  const graphSpId = (graph.body.value as { id: string }[] | undefined)?.[0]?.id;
  if (graph.status !== 200 || !graphSpId) throw failure(graph, 'find Microsoft Graph\'s service principal');
  const grant = await call(options, 'POST', '/oauth2PermissionGrants', { clientId: spId, consentType: 'AllPrincipals', principalId: null, resourceId: graphSpId, scope: 'openid profile' });
  if (grant.status !== 201 && grant.status !== 409) throw failure(grant, 'consent to openid and profile for the tenant');

  let federated = false;
  if (options.managedIdentityPrincipalId) {
    const existing = await call(options, 'GET', `/applications/${app.id}/federatedIdentityCredentials`);
    if (existing.status !== 200) throw failure(existing, 'list the sign-in app\'s federated credentials');
    const has = (existing.body.value as { subject?: string }[] | undefined)?.some((c) => c.subject === options.managedIdentityPrincipalId);
    if (!has) {
      const made = await call(options, 'POST', `/applications/${app.id}/federatedIdentityCredentials`, {
        name: 'onboard-managed-identity', issuer: `https://login.microsoftonline.com/${options.tenantId}/v2.0`,
        subject: options.managedIdentityPrincipalId, audiences: ['api://AzureADTokenExchange'],
        description: 'Onboard\'s managed identity signs in as this app; there is no secret.',
      });
      if (made.status !== 201) throw failure(made, 'trust Onboard\'s managed identity (federated identity credential)');
    }
    federated = true;
  }
  return { clientId: app.appId, redirectUri, created: upsert.status === 201, federated };
}
