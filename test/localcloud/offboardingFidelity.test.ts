import { ClientSecretCredential } from '@azure/identity';
import type { LocalCloud } from '../../src/localcloud';
import { credentialFor, graphClient, rawGraph, startTestCloud, type Body } from './helpers';

/**
 * What offboarding relies on, as Entra documents it:
 * - a disabled enterprise app gets no new tokens: AADSTS7000112 (https://learn.microsoft.com/entra/identity-platform/reference-error-codes,
 *   https://learn.microsoft.com/entra/identity/enterprise-apps/deactivate-application-portal);
 * - deleting an application deletes its service principal too, and each comes back from deleted items only when asked
 *   (https://learn.microsoft.com/graph/api/directory-deleteditems-restore), with Application.ReadWrite.OwnedBy on owned objects.
 */
describe('local cloud: disabled and deleted apps, as offboarding meets them', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  beforeAll(async () => ({ cloud, stop } = await startTestCloud()));
  afterAll(async () => stop());

  async function vendorApp(name: string) {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: name });
    const sp = await graph.api('/servicePrincipals').post({ appId: app.appId });
    const password = await graph.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'vendor' } });
    return { graph, app, sp, secret: password.secretText as string };
  }

  it('refuses a client-credentials token to an app whose service principal is disabled, through azure-identity too', async () => {
    const { graph, app, sp, secret } = await vendorApp('Disabled Vendor');
    const signIn = () => new ClientSecretCredential(cloud.tenantId, app.appId, secret, { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true }).getToken('https://graph.microsoft.com/.default');
    expect((await signIn())!.token).toBeTruthy();
    await graph.api(`/servicePrincipals/${sp.id}`).patch({ accountEnabled: false });
    await expect(signIn()).rejects.toThrow(/AADSTS7000112: Application '.*'\(Disabled Vendor\) is disabled/);
    await graph.api(`/servicePrincipals/${sp.id}`).patch({ accountEnabled: true });
    expect((await signIn())!.token).toBeTruthy();
  });

  it('deletes an application\'s service principal with it; each is restored on its own, by its owner, not by a reader', async () => {
    const { graph, app, sp, secret } = await vendorApp('Deleted Vendor');
    await graph.api(`/applications/${app.id}`).delete();
    await expect(graph.api(`/servicePrincipals/${sp.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
    const deletedSps = (await graph.api('/directory/deletedItems/microsoft.graph.servicePrincipal').get()).value as Body[];
    expect(deletedSps.find((s) => s.id === sp.id)).toMatchObject({ appId: app.appId, deletedDateTime: expect.any(String) });
    // Signing in needs both: the application is gone.
    const refused = await fetch(`${cloud.authorityHost.replace(/\/$/, '')}/${cloud.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.appId, client_secret: secret, scope: 'https://graph.microsoft.com/.default' }) });
    expect(refused.status).toBe(400);

    const reader = graphClient(cloud, credentialFor(cloud, cloud.bot));
    await expect(reader.api(`/directory/deletedItems/${app.id}/restore`).post({})).rejects.toMatchObject({ statusCode: 403 });
    await graph.api(`/directory/deletedItems/${app.id}/restore`).post({});
    await expect(graph.api(`/servicePrincipals/${sp.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
    const restoredSp = await graph.api(`/directory/deletedItems/${sp.id}/restore`).post({});
    expect(restoredSp).toMatchObject({ id: sp.id, deletedDateTime: null });
    expect((await graph.api(`/servicePrincipals/${sp.id}`).get()).appId).toBe(app.appId);
    expect((await rawGraph(cloud, 'GET', `/directory/deletedItems/${sp.id}`)).status).toBe(404);
  });
});
