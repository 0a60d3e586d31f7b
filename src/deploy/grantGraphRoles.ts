import { MICROSOFT_GRAPH_APP_ID, ONBOARD_GRAPH_ROLES } from '../domain/provisioning';

/** A problem the admin running the grant can act on; printed without a stack trace. */
export class GrantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrantError';
  }
}

export interface GrantOptions {
  /** e.g. https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string;
  /** An admin's delegated Graph token (AppRoleAssignment.ReadWrite.All and Application.Read.All). */
  accessToken: string;
  /** Object id of the managed identity's service principal (MANAGED_IDENTITY_PRINCIPAL_ID). */
  principalId: string;
  roles?: readonly string[];
}

export interface GrantReport {
  principal: string;
  granted: string[];
  alreadyHeld: string[];
}

interface GraphReply {
  status: number;
  // Graph bodies are read field by field below.
  body: Record<string, unknown>;
}

async function call(options: GrantOptions, method: string, path: string, body?: object): Promise<GraphReply> {
  let response: Response;
  try {
    response = await fetch(`${options.graphBaseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: { Authorization: `Bearer ${options.accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new GrantError(`Could not reach Microsoft Graph at ${options.graphBaseUrl}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    // A non-JSON error page: the status says enough.
  }
  return { status: response.status, body: parsed };
}

function failure(reply: GraphReply, doing: string): GrantError {
  const error = reply.body.error as { code?: string; message?: string } | undefined;
  const detail = error?.message ? `: ${error.code ?? ''} ${error.message}`.trimEnd() : '';
  if (reply.status === 401 || reply.status === 403) {
    return new GrantError(`Microsoft Graph refused to ${doing} (HTTP ${reply.status}${detail}). Sign in as a Privileged Role Administrator or Global Administrator (az login --tenant <tenant id>) and run this again.`);
  }
  return new GrantError(`Microsoft Graph could not ${doing} (HTTP ${reply.status}${detail}).`);
}

/**
 * Gives Onboard's managed identity the Microsoft Graph application permissions it needs, and no
 * others. Safe to run again: roles it already holds are left alone. Managed identities have no
 * consent prompt, so an administrator's app role assignment is the only way to grant them.
 */
export async function grantGraphRoles(options: GrantOptions): Promise<GrantReport> {
  const roles = options.roles ?? ONBOARD_GRAPH_ROLES.map((r) => r.role);
  const principalId = encodeURIComponent(options.principalId);
  const principal = await call(options, 'GET', `/servicePrincipals/${principalId}?$select=id,displayName`);
  if (principal.status === 404 || principal.status === 400) {
    throw new GrantError(`No service principal has the object id ${options.principalId}. Use MANAGED_IDENTITY_PRINCIPAL_ID from env/.env.<env> (the identity's principal id, not its client id).`);
  }
  if (principal.status !== 200) throw failure(principal, 'read Onboard\'s managed identity');

  const graph = await call(options, 'GET', `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${MICROSOFT_GRAPH_APP_ID}'`)}&$select=id,appRoles`);
  if (graph.status !== 200) throw failure(graph, 'read the Microsoft Graph service principal');
  const graphSp = (graph.body.value as { id: string; appRoles: { id: string; value: string }[] }[] | undefined)?.[0];
  if (!graphSp) throw new GrantError('This tenant has no Microsoft Graph service principal, which every Entra tenant normally has.');
  const roleIds = new Map(graphSp.appRoles.map((r) => [r.value, r.id]));
  const unknown = roles.filter((r) => !roleIds.has(r));
  if (unknown.length) throw new GrantError(`Microsoft Graph in this tenant does not publish ${unknown.join(', ')}.`);

  const assignments = await call(options, 'GET', `/servicePrincipals/${principalId}/appRoleAssignments`);
  if (assignments.status !== 200) throw failure(assignments, 'list the identity\'s app role assignments');
  const held = new Set((assignments.body.value as { resourceId: string; appRoleId: string }[]).filter((a) => a.resourceId === graphSp.id).map((a) => a.appRoleId));

  const report: GrantReport = { principal: String(principal.body.displayName ?? options.principalId), granted: [], alreadyHeld: [] };
  for (const role of roles) {
    const appRoleId = roleIds.get(role)!;
    if (held.has(appRoleId)) {
      report.alreadyHeld.push(role);
      continue;
    }
    const created = await call(options, 'POST', `/servicePrincipals/${principalId}/appRoleAssignments`, { principalId: options.principalId, resourceId: graphSp.id, appRoleId });
    if (created.status !== 201) throw failure(created, `grant ${role}`);
    report.granted.push(role);
  }
  return report;
}
