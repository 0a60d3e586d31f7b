import type { LocalCloud } from '../../src/localcloud';
import { claimsOf, credentialFor, graphClient, startTestCloud } from './helpers';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const graphErrorShape = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', innerError: { date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': expect.any(String) } } };

describe('authorization like Graph\'s', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  // Strong consistency: these tests assert who may do what, one request at a time, right after creating the objects.
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ consistency: 'strong' })));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('refuses to grant an app role to a caller without AppRoleAssignment.ReadWrite.All, in Graph\'s error shape', async () => {
    const weak = cloud.addClientApp({ displayName: 'Weak app', graphRoles: ['Application.ReadWrite.OwnedBy', 'Application.Read.All'] });
    const graph = graphClient(cloud, credentialFor(cloud, weak));
    const app = await graph.api('/applications').post({ displayName: 'Wants roles' });
    const sp = await graph.api('/servicePrincipals').post({ appId: app.appId });
    const graphSp = await graph.api(`/servicePrincipals(appId='${GRAPH_APP_ID}')`).get();
    const role = graphSp.appRoles.find((r: { value: string }) => r.value === 'User.Read.All');
    const attempt = graph.api(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo`).post({ principalId: sp.id, resourceId: graphSp.id, appRoleId: role.id });
    await expect(attempt).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
    const raw = await fetch(`${cloud.graphBaseUrl}/servicePrincipals/${graphSp.id}/appRoleAssignedTo`, {
      method: 'POST', headers: { Authorization: `Bearer ${(await credentialFor(cloud, weak).getToken('https://graph.microsoft.com/.default'))!.token}`, 'Content-Type': 'application/json', 'client-request-id': 'abc' },
      body: JSON.stringify({ principalId: sp.id, resourceId: graphSp.id, appRoleId: role.id }),
    });
    expect(raw.status).toBe(403);
    expect(await raw.json()).toEqual({ error: { ...graphErrorShape.error, innerError: { ...graphErrorShape.error.innerError, 'client-request-id': 'abc' } } });
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === sp.id)).toEqual([]);
    // The bot holds the role, so the same call succeeds for it.
    const granted = await graphClient(cloud).api(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo`).post({ principalId: sp.id, resourceId: graphSp.id, appRoleId: role.id });
    expect(granted.principalDisplayName).toBe('Wants roles');
  });

  it('lets Application.ReadWrite.OwnedBy change only the apps the caller owns', async () => {
    const graph = graphClient(cloud);
    const hrPortal = cloud.state.applications.find((a) => a.displayName === 'Contoso HR Portal')!;
    await expect(graph.api(`/applications/${hrPortal.id}`).patch({ notes: 'taken over' })).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
    await expect(graph.api(`/applications/${hrPortal.id}/addPassword`).post({ passwordCredential: { displayName: 'x' } })).rejects.toMatchObject({ statusCode: 403 });
    await expect(graph.api(`/applications/${hrPortal.id}`).delete()).rejects.toMatchObject({ statusCode: 403 });
    // …while reading it is fine (Application.Read.All) and its own app can be changed.
    expect((await graph.api(`/applications/${hrPortal.id}`).get()).displayName).toBe('Contoso HR Portal');
    const mine = await graph.api('/applications').post({ displayName: 'Bot-made' });
    await graph.api(`/applications/${mine.id}`).patch({ notes: 'fine' });
    expect(cloud.state.applications.find((a) => a.id === mine.id)?.notes).toBe('fine');
    expect(cloud.state.applications.find((a) => a.id === hrPortal.id)?.notes).toBeNull();
  });

  it('needs DelegatedPermissionGrant.ReadWrite.All for delegated grants and a read role for reads', async () => {
    const reader = cloud.addClientApp({ displayName: 'Reader', graphRoles: ['Organization.Read.All'] });
    const graph = graphClient(cloud, credentialFor(cloud, reader));
    await expect(graph.api('/applications').get()).rejects.toMatchObject({ statusCode: 403 });
    await expect(graph.api('/oauth2PermissionGrants').get()).rejects.toMatchObject({ statusCode: 403 });
    await expect(graph.api('/oauth2PermissionGrants').post({ clientId: reader.servicePrincipalId, consentType: 'AllPrincipals', resourceId: reader.servicePrincipalId, scope: 'x' })).rejects.toMatchObject({ statusCode: 403 });
    expect((await graph.api('/organization').get()).value).toHaveLength(1);
  });

  it('puts only granted roles in tokens, and role changes reach tokens issued afterwards', async () => {
    const botRoles = async () => claimsOf((await credentialFor(cloud, cloud.bot).getToken('https://graph.microsoft.com/.default'))!.token).roles as string[];
    cloud.grantBotRole('AppRoleAssignment.ReadWrite.All');
    try {
      expect(await botRoles()).toContain('AppRoleAssignment.ReadWrite.All');
    } finally {
      cloud.revokeBotRole('AppRoleAssignment.ReadWrite.All');
    }
    expect(await botRoles()).not.toContain('AppRoleAssignment.ReadWrite.All');
    expect(await botRoles()).toContain('Application.Read.All');
    const nothing = cloud.addClientApp({ displayName: 'No roles' });
    expect(claimsOf((await credentialFor(cloud, nothing).getToken('https://graph.microsoft.com/.default'))!.token).roles).toBeUndefined();
  });

  it('gives the bot read roles only: its token is refused on every write the worker makes (issue #16)', async () => {
    const bot = graphClient(cloud, credentialFor(cloud, cloud.bot));
    expect((await botRolesOf(cloud)).sort()).toEqual(['Application.Read.All', 'DelegatedPermissionGrant.Read.All', 'GroupMember.Read.All', 'Organization.Read.All', 'User.Read.All']);
    await expect(bot.api('/applications').post({ displayName: 'Forged by the bot' })).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
    await expect(bot.api('/oauth2PermissionGrants').post({ clientId: cloud.bot.servicePrincipalId, consentType: 'AllPrincipals', resourceId: cloud.bot.servicePrincipalId, scope: 'x' })).rejects.toMatchObject({ statusCode: 403 });
    expect(cloud.state.applications.filter((a) => a.displayName === 'Forged by the bot')).toEqual([]);
    // The worker's token may.
    const worker = graphClient(cloud, credentialFor(cloud, cloud.worker));
    expect((await worker.api('/applications').post({ displayName: 'Made by the worker' })).id).toBeTruthy();
    expect(cloud.requestsBy(cloud.bot.clientId).filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/v1.0/applications', '/v1.0/oauth2PermissionGrants']);
  });

  it('rejects a call without a token, or with a token for another audience', async () => {
    const none = await fetch(`${cloud.graphBaseUrl}/applications`);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('InvalidAuthenticationToken');
    const vaultToken = (await credentialFor(cloud).getToken('https://vault.azure.net/.default'))!.token;
    expect(claimsOf(vaultToken).aud).toBe('https://vault.azure.net');
    const wrongAudience = await fetch(`${cloud.graphBaseUrl}/applications`, { headers: { Authorization: `Bearer ${vaultToken}` } });
    expect(wrongAudience.status).toBe(401);
    expect((await wrongAudience.json()).error.message).toMatch(/Invalid audience/);
  });

  it('checks group membership the way the bot\'s permissions allow', async () => {
    const graph = graphClient(cloud);
    const megan = cloud.users.find((u) => u.name === 'Megan Bowen')!;
    const groups = await graph.api(`/users/${megan.id}/transitiveMemberOf`).get();
    expect(groups.value.map((g: { id: string }) => g.id)).toContain(cloud.groups.approvers);
    const grady = cloud.users.find((u) => u.name === 'Grady Archie')!;
    const gradyGroups = (await graph.api(`/users/${grady.id}/transitiveMemberOf`).get()).value.map((g: { displayName: string }) => g.displayName);
    expect(gradyGroups).toEqual(expect.arrayContaining(['Onboard Helpdesk', 'Helpdesk Tier 2']));
    // checkMemberGroups needs User.Read.All as well, which the bot deliberately does not hold.
    await expect(graph.api(`/users/${megan.id}/checkMemberGroups`).post({ groupIds: [cloud.groups.approvers] })).rejects.toMatchObject({ statusCode: 403 });
    const members = (await graph.api(`/groups/${cloud.groups.helpdesk}/transitiveMembers`).get()).value;
    expect(members.find((m: { id: string }) => m.id === grady.id)).toMatchObject({ '@odata.type': '#microsoft.graph.user', displayName: null });
  });
});

async function botRolesOf(cloud: LocalCloud): Promise<string[]> {
  return claimsOf((await credentialFor(cloud, cloud.bot).getToken('https://graph.microsoft.com/.default'))!.token).roles as string[];
}
