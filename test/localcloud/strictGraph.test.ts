import type { LocalCloud } from '../../src/localcloud';
import { claimsOf, credentialFor, graphClient, rawGraph, startTestCloud, type Body } from './helpers';

/**
 * Where Microsoft documents that Entra or Graph refuses something, the local cloud refuses it too (issue #15).
 * Consistency is strong here: each test asserts one request's answer, which replication lag would blur.
 */
describe('Graph and Entra as strict as the real services', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ consistency: 'strong' })));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  // https://learn.microsoft.com/graph/api/application-post-owners: "Application.ReadWrite.OwnedBy isn't sufficient to add another owner."
  it('refuses to add an owner with Application.ReadWrite.OwnedBy, even on an app the caller owns; Application.ReadWrite.All may', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'Owned by the bot' });
    const alex = cloud.users[0].id;
    const ref = { '@odata.id': `${cloud.graphBaseUrl}/directoryObjects/${alex}` };
    await expect(graph.api(`/applications/${app.id}/owners/$ref`).post(ref)).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
    expect(cloud.state.ownersOf(app.id)).toEqual([cloud.worker.servicePrincipalId]);
    const admin = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Admin tool', graphRoles: ['Application.ReadWrite.All'] })));
    await admin.api(`/applications/${app.id}/owners/$ref`).post(ref);
    expect(cloud.state.ownersOf(app.id)).toEqual([cloud.worker.servicePrincipalId, alex]);
  });

  // https://learn.microsoft.com/graph/api/resources/permissionscope (isEnabled): "To delete a permission, this property must first be set to false."
  // https://learn.microsoft.com/graph/api/resources/approle (isEnabled): "To delete a role, this must first be set to false."
  it('protects enabled scopes and app roles: change or removal only after disabling', async () => {
    const graph = graphClient(cloud);
    const scope = { id: '6a2e1c4f-0b3d-4e5f-8a7b-9c0d1e2f3a4b', value: 'read', type: 'Admin', isEnabled: true, adminConsentDisplayName: 'Read', adminConsentDescription: 'Read', userConsentDisplayName: null, userConsentDescription: null };
    const role = { id: '7b3f2d5a-1c4e-4f6a-9b8c-0d1e2f3a4b5c', value: 'Data.Read', displayName: 'Read', description: 'Read', allowedMemberTypes: ['Application'], isEnabled: true };
    const app = await graph.api('/applications').post({ displayName: 'Has an API', api: { oauth2PermissionScopes: [scope] }, appRoles: [role] });
    const refused = { statusCode: 400, code: 'CannotDeleteOrUpdateEnabledEntitlement' };
    await expect(graph.api(`/applications/${app.id}`).patch({ api: { oauth2PermissionScopes: [{ ...scope, value: 'read.all' }] } })).rejects.toMatchObject(refused);
    await expect(graph.api(`/applications/${app.id}`).patch({ api: { oauth2PermissionScopes: [] } })).rejects.toMatchObject(refused);
    await expect(graph.api(`/applications/${app.id}`).patch({ appRoles: [] })).rejects.toMatchObject(refused);
    // Disabling and changing in one go is still a change to an enabled entry.
    await expect(graph.api(`/applications/${app.id}`).patch({ appRoles: [{ ...role, isEnabled: false, value: 'Data.ReadAll' }] })).rejects.toMatchObject(refused);
    await graph.api(`/applications/${app.id}`).patch({ api: { oauth2PermissionScopes: [{ ...scope, isEnabled: false }] }, appRoles: [{ ...role, isEnabled: false }] });
    await graph.api(`/applications/${app.id}`).patch({ api: { oauth2PermissionScopes: [{ ...scope, value: 'read.all' }] }, appRoles: [] });
    const after = await graph.api(`/applications/${app.id}`).get();
    expect(after.api.oauth2PermissionScopes.map((s: Body) => s.value)).toEqual(['read.all']);
    expect(after.appRoles).toEqual([]);
  });

  // https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference: Graph's tokens are v1.0 (iss sts.windows.net, appid, no azp).
  it('issues v1.0-shaped client-credentials tokens for Microsoft Graph and Key Vault', async () => {
    for (const scope of ['https://graph.microsoft.com/.default', 'https://vault.azure.net/.default']) {
      const claims = claimsOf((await credentialFor(cloud).getToken(scope))!.token);
      expect(claims).toMatchObject({ iss: `https://sts.windows.net/${cloud.tenantId}/`, ver: '1.0', appid: cloud.worker.clientId, idtyp: 'app', tid: cloud.tenantId });
      expect(claims).not.toHaveProperty('azp');
      expect(claims).not.toHaveProperty('azpacr');
    }
  });

  // https://learn.microsoft.com/graph/api/directory-deleteditems-restore: "A recently deleted item remains available for
  // up to 30 days"; "restoring an application doesn't restore the associated service principal automatically".
  it('soft-deletes an application: its uniqueName stays taken, /directory/deletedItems lists and restores it, not its SP', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'Soft', uniqueName: 'soft-deleted-app' });
    const sp = await graph.api('/servicePrincipals').post({ appId: app.appId });
    await graph.api(`/applications/${app.id}`).delete();
    await expect(graph.api(`/applications/${app.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
    await expect(graph.api('/applications').post({ displayName: 'Reuse', uniqueName: 'soft-deleted-app' })).rejects.toMatchObject({ statusCode: 400, code: 'Request_BadRequest' });
    const deleted = await graph.api('/directory/deletedItems/microsoft.graph.application').get();
    expect(deleted.value.map((a: Body) => a.id)).toContain(app.id);
    expect(deleted.value.find((a: Body) => a.id === app.id).deletedDateTime).toEqual(expect.any(String));
    const restored = await graph.api(`/directory/deletedItems/${app.id}/restore`).post({});
    expect(restored).toMatchObject({ id: app.id, uniqueName: 'soft-deleted-app', deletedDateTime: null });
    expect((await graph.api(`/applications/${app.id}`).get()).displayName).toBe('Soft');
    await expect(graph.api(`/servicePrincipals/${sp.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
    // Deleted for good, the name is free again.
    await graph.api(`/applications/${app.id}`).delete();
    await graph.api(`/directory/deletedItems/${app.id}`).delete();
    expect((await graph.api('/applications').post({ displayName: 'Reuse', uniqueName: 'soft-deleted-app' })).uniqueName).toBe('soft-deleted-app');
  });

  // https://learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions: the supported formats, and nothing else.
  it('accepts exactly the identifier URI formats Microsoft documents', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'URI formats' });
    const tenant = cloud.tenantId;
    const accepted = [
      `api://${app.appId}`, `api://${tenant}/${app.appId}`, `api://${tenant}/orders`, `api://ordersapi/${app.appId}`,
      'https://contosolocal.onmicrosoft.com/orders', 'https://contoso.example/orders', 'https://orders.contoso.example',
      'https://orders.contoso.example/v1', 'api://contoso.example/orders', 'api://orders.contoso.example/v1',
    ];
    const refused = [`api://${app.appId}/orders`, 'http://contoso.example/orders', 'https://contoso.example', 'https://vendor.example.com/orders', 'api://orders', 'api://orders/v1', 'urn:contoso:orders'];
    for (const uri of accepted) await graph.api(`/applications/${app.id}`).patch({ identifierUris: [uri] });
    for (const uri of refused) {
      const reply = await rawGraph(cloud, 'PATCH', `/applications/${app.id}`, { identifierUris: [uri] });
      expect({ uri, status: reply.status, code: reply.json?.error?.code }).toEqual({ uri, status: 400, code: 'HostNameNotOnVerifiedDomain' });
    }
  });

  it('answers a duplicate uniqueName or identifierUri with 400 Request_BadRequest, as Graph does', async () => {
    const graph = graphClient(cloud);
    const first = await graph.api('/applications').post({ displayName: 'First', uniqueName: 'dup-unique' });
    await graph.api(`/applications/${first.id}`).patch({ identifierUris: ['https://contoso.example/dup'] });
    await expect(graph.api('/applications').post({ displayName: 'Second', uniqueName: 'dup-unique' })).rejects.toMatchObject({
      statusCode: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property uniqueName already exists.',
    });
    const second = await graph.api('/applications').post({ displayName: 'Second' });
    const reply = await rawGraph(cloud, 'PATCH', `/applications/${second.id}`, { identifierUris: ['https://contoso.example/dup'] });
    expect(reply).toMatchObject({ status: 400, json: { error: { code: 'Request_BadRequest', message: 'Another object with the same value for property identifierUris already exists.' } } });
  });
});
