import type { LocalCloud } from '../../src/localcloud';
import { GraphPermissionWriter } from '../../src/adapters/graph/graphPermissionWriter';
import { permissionCatalog, MICROSOFT_GRAPH_APP_ID } from '../../src/domain/catalog/permissions';
import type { DriftFixChange } from '../../src/domain/driftFix';
import { GraphInventory } from '../../src/adapters/graph/graphInventory';
import { credentialFor, startTestCloud } from '../localcloud/helpers';

const change = (name: string, type: 'Application' | 'Delegated'): DriftFixChange => ({
  resourceAppId: MICROSOFT_GRAPH_APP_ID, resource: 'Microsoft Graph', name, type, id: type === 'Application' ? permissionCatalog.find(name, type)!.id : name,
  adminConsentRequired: true, risk: 'medium', adminDisplayName: name,
});

describe('the drift fix\'s writes, on the local cloud', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let writer: GraphPermissionWriter;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    writer = new GraphPermissionWriter(new GraphInventory({ credential: credentialFor(cloud), baseUrl: cloud.graphBaseUrl }).client);
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  const spOf = (name: string) => {
    const appId = cloud.state.applications.find((a) => a.displayName === name)!.appId;
    return cloud.state.servicePrincipals.find((s) => s.appId === appId)!.id as string;
  };
  const scopes = (sp: string) => cloud.state.oauth2PermissionGrants.filter((g) => g.clientId === sp).map((g) => [g.consentType, g.scope]);

  it('an application permission: granted once, then "exists"; removed once, then "absent"', async () => {
    const sp = spOf('Contoso Mobile');
    const userReadAll = change('User.Read.All', 'Application');
    expect(await writer.grant(sp, userReadAll)).toBe('granted');
    expect(await writer.grant(sp, userReadAll)).toBe('exists');
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === sp && a.appRoleId === userReadAll.id)).toHaveLength(1);
    expect(await writer.revoke(sp, userReadAll)).toBe('removed');
    expect(await writer.revoke(sp, userReadAll)).toBe('absent');
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === sp && a.appRoleId === userReadAll.id)).toHaveLength(0);
  });

  it('a delegated scope: added to the admin grant; removed from it and from every person\'s own grant', async () => {
    const sp = spOf('Fabrikam Expenses');
    expect(await writer.grant(sp, change('Mail.Read', 'Delegated'))).toBe('granted');
    expect(scopes(sp)).toContainEqual(['AllPrincipals', 'Mail.Read']);
    expect(await writer.grant(sp, change('offline_access', 'Delegated'))).toBe('granted');
    expect(scopes(sp)).toContainEqual(['AllPrincipals', 'Mail.Read offline_access']);
    expect(await writer.revoke(sp, change('Mail.Read', 'Delegated'))).toBe('removed');
    expect(scopes(sp).sort()).toEqual([['AllPrincipals', 'offline_access'], ['Principal', 'offline_access'], ['Principal', 'offline_access']]);
  });
});
