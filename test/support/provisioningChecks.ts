import type { Client } from '@microsoft/microsoft-graph-client';
import type { RegistrationPlan } from '../../src/domain/plan';
import { MICROSOFT_GRAPH_APP_ID, passwordDisplayName } from '../../src/domain/provisioning';
import { tenantFor } from './provisioningStack';
import type { VaultEntry } from './provisioningVault';

const sortBy = <T>(items: T[], key: (t: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));
type Access = { resourceAppId: string; resourceAccess: { id: string; type: string }[] };
const normalise = (list: Access[]) => sortBy(list.map((r) => ({ ...r, resourceAccess: sortBy(r.resourceAccess, (a) => a.id + a.type) })), (r) => r.resourceAppId);

/** Microsoft Graph's service principal id, as the test's own identity reads it. */
export async function graphServicePrincipalId(auditor: Client): Promise<string> {
  return (await auditor.api('/servicePrincipals').filter(`appId eq '${MICROSOFT_GRAPH_APP_ID}'`).select('id').get()).value[0].id;
}

/**
 * Asserts, from Graph queries alone, that the tenant holds exactly what the plan says for this request:
 * one application with the plan's shape, one service principal, every grant and no other, and exactly one
 * live secret of ours when the plan issues one, the one the vault holds.
 */
export async function expectTenantMatchesPlan(options: { auditor: Client; graphSpId: string; requestId: string; plan: RegistrationPlan; vault?: VaultEntry; owners?: string[] }) {
  const { auditor, graphSpId, requestId, plan } = options;
  const t = await tenantFor(auditor, requestId);
  expect(t.apps).toHaveLength(1);
  expect(t.sps).toHaveLength(1);
  const app = t.app;
  const { requiredResourceAccess, ...shape } = plan.application as { requiredResourceAccess: Access[] };
  expect(app).toMatchObject(shape);
  const self = plan.permissions.filter((p) => p.resourceAppId === '{appId}');
  expect(app.identifierUris).toEqual(plan.afterCreate ? [`api://${app.appId}`] : []);
  const expectedAccess = [...requiredResourceAccess, ...(self.length ? [{ resourceAppId: app.appId, resourceAccess: self.map((p) => ({ id: p.id, type: 'Scope' })) }] : [])];
  expect(normalise(app.requiredResourceAccess)).toEqual(normalise(expectedAccess));

  const roles = plan.permissions.filter((p) => p.type === 'Application');
  expect(sortBy(t.assignments.map((a) => ({ resourceId: a.resourceId, appRoleId: a.appRoleId })), (a) => a.appRoleId)).toEqual(sortBy(roles.map((p) => ({ resourceId: graphSpId, appRoleId: p.id })), (a) => a.appRoleId));
  const delegated = plan.permissions.filter((p) => p.type === 'Delegated' && p.resourceAppId === MICROSOFT_GRAPH_APP_ID).map((p) => p.name);
  const expectedGrants = [
    ...(delegated.length ? [{ resourceId: graphSpId, scope: [...new Set(delegated)].sort().join(' ') }] : []),
    ...(self.length ? [{ resourceId: t.sp!.id, scope: self.map((p) => p.name).join(' ') }] : []),
  ];
  expect(t.grants.every((g) => g.consentType === 'AllPrincipals' && g.principalId === null)).toBe(true);
  expect(sortBy(t.grants.map((g) => ({ resourceId: g.resourceId, scope: g.scope.split(' ').sort().join(' ') })), (g) => g.resourceId)).toEqual(sortBy(expectedGrants, (g) => g.resourceId));

  if (plan.secret.issue) {
    expect(t.passwords).toEqual([expect.objectContaining({ displayName: passwordDisplayName(requestId) })]);
    if (options.vault) {
      expect(options.vault.tags).toMatchObject({ requestId, keyId: t.passwords[0].keyId, appId: app.appId });
      expect(options.vault.value.slice(0, 3)).toBe(t.passwords[0].hint);
    }
  } else {
    expect(t.passwords).toEqual([]);
    expect(options.vault).toBeUndefined();
  }
  if (options.owners) expect(t.owners.sort()).toEqual([...options.owners].sort());
  return t;
}
