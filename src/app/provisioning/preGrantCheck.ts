import type { Directory, Holders } from '../directoryPort';
import { passwordDisplayName, patchAfterCreate, type ProvisioningPlan } from '../../domain/provisioning';
import type { ProvisioningRecord, RegistrationRequest } from '../../domain/request';

/** What Onboard itself put on the application, from its own record: anything else was put there by someone else. */
export interface OursSoFar {
  appId: string;
  /** Owners the saga may find: Onboard's own service principal, and the requester where configured. */
  allowedOwnerIds: string[];
  /** The passwords Onboard added (this request's, and for a rotation the handed-over ones it replaces). */
  ourKeyIds: string[];
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/**
 * The read-back made after the application, its owners and its secret exist, and before any permission is
 * granted: who else could use the app once it holds the grants? Owners beyond Onboard (and the requester),
 * credentials Onboard did not add, and redirect URIs, scopes or roles the plan does not have each stop the
 * saga here. Each finding is a sentence for the approvers.
 */
export function foreignState(plan: ProvisioningPlan, read: Holders, ours: OursSoFar): string[] {
  const problems: string[] = [];
  const app = read.application;
  for (const owner of read.ownerIds) if (!ours.allowedOwnerIds.includes(owner)) problems.push(`${owner} is an owner of the application, and Onboard did not make it one`);
  for (const p of app.passwordCredentials) if (!ours.ourKeyIds.includes(p.keyId)) problems.push(`the application has a client secret Onboard did not add (${p.keyId}${p.displayName ? `, "${p.displayName}"` : ''})`);
  for (const k of list((app.keyCredentials as { keyId: string }[] | undefined)?.map((c) => c.keyId))) problems.push(`the application has a certificate Onboard did not add (${k})`);
  for (const p of read.servicePrincipal.passwordCredentials ?? []) problems.push(`the service principal has a secret Onboard did not add (${p.keyId})`);
  for (const k of read.servicePrincipal.keyCredentials ?? []) problems.push(`the service principal has a certificate Onboard did not add (${k.keyId})`);

  const body = plan.createBody as { web?: { redirectUris?: string[]; implicitGrantSettings?: Record<string, boolean> }; publicClient?: { redirectUris?: string[] }; spa?: { redirectUris?: string[] }; api?: { oauth2PermissionScopes?: { id: string }[] }; appRoles?: { id: string }[]; isFallbackPublicClient?: boolean };
  const actual = app as typeof body & { identifierUris: string[] };
  for (const [where, wanted, found] of [
    ['web', list(body.web?.redirectUris), list(actual.web?.redirectUris)],
    ['public client', list(body.publicClient?.redirectUris), list(actual.publicClient?.redirectUris)],
    ['single-page app', list(body.spa?.redirectUris), list(actual.spa?.redirectUris)],
  ] as const) {
    // Only extras: one missing may be replication lag, and the final verification insists on all of them.
    if (found.some((u) => !wanted.includes(u))) problems.push(`the ${where} redirect URIs are ${JSON.stringify(found)}, the plan says ${JSON.stringify(wanted)}`);
  }
  const implicit = actual.web?.implicitGrantSettings ?? {};
  for (const [k, v] of Object.entries(implicit)) if (v && !body.web?.implicitGrantSettings?.[k]) problems.push(`implicit grant ${k} is on, the plan has it off`);
  if (actual.isFallbackPublicClient && !body.isFallbackPublicClient) problems.push('the application is a fallback public client, the plan says not');
  const scopes = list(body.api?.oauth2PermissionScopes?.map((s) => s.id));
  for (const s of actual.api?.oauth2PermissionScopes ?? []) if (!scopes.includes(s.id)) problems.push(`the application exposes a scope the plan does not (${s.id})`);
  const roles = list(body.appRoles?.map((r) => r.id));
  for (const r of actual.appRoles ?? []) if (!roles.includes(r.id)) problems.push(`the application defines an app role the plan does not (${r.id})`);
  const uris = list(patchAfterCreate(plan, ours.appId)?.identifierUris);
  for (const u of actual.identifierUris ?? []) if (!uris.includes(u)) problems.push(`the application has the identifier URI ${u}, which the plan does not`);
  return problems;
}

/**
 * Reads who holds the app and compares it with Onboard's own record. A secret named as ours but not recorded
 * (a retried addPassword whose first answer was lost) is removed and `retry()` thrown, to read again.
 */
export async function readForeignState(directory: Directory, input: { plan: ProvisioningPlan; request: RegistrationRequest; record: ProvisioningRecord; onboard: string; requesterAsOwner: boolean }, retry: () => Error): Promise<string[]> {
  const { request, record } = input;
  const app = record.steps.application!;
  const requesters = input.requesterAsOwner ? [request.requester.id, ...(record.steps.owners?.ownerIds ?? [])] : [];
  const ours = { appId: app.appId, allowedOwnerIds: [input.onboard, ...requesters], ourKeyIds: [...(record.steps.password ? [record.steps.password.keyId] : []), ...(request.rotation?.oldKeyIds ?? [])] };
  const read = await directory.readHolders({ appObjectId: app.id, servicePrincipalId: record.steps.servicePrincipal!.id });
  for (const p of read.application.passwordCredentials) {
    if (p.displayName === passwordDisplayName(request.id) && !ours.ourKeyIds.includes(p.keyId)) {
      await directory.removePassword(app.id, p.keyId);
      throw retry();
    }
  }
  return foreignState(input.plan, read, ours);
}
