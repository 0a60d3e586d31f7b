import { PageIterator } from '@microsoft/microsoft-graph-client';
import type { LocalCloud } from '../../src/localcloud';
import { credentialFor, graphClient, rawGraph, startTestCloud, type Body } from './helpers';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

describe('Graph behaviours that bite real users', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  // Strong consistency: each test asserts what one request answers right after a create; lag would blur that (test/localcloud/consistency.test.ts covers it).
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ consistency: 'strong' })));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('upserts by uniqueName with Prefer: create-if-missing, and keeps uniqueName unique', async () => {
    const graph = graphClient(cloud);
    const path = "/applications(uniqueName='onboard-cirrus-connect')";
    const created = await graph.api(path).header('Prefer', 'create-if-missing').patch({ displayName: 'Cirrus Connect' });
    expect(created).toMatchObject({ uniqueName: 'onboard-cirrus-connect', displayName: 'Cirrus Connect' });
    const again = await rawGraph(cloud, 'PATCH', path, { displayName: 'Cirrus Connect v2' }, { Prefer: 'create-if-missing' });
    expect(again.status).toBe(204);
    expect((await graph.api(path).get()).displayName).toBe('Cirrus Connect v2');
    await expect(graph.api('/applications').post({ displayName: 'Copy', uniqueName: 'onboard-cirrus-connect' })).rejects.toMatchObject({
      statusCode: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property uniqueName already exists.',
    });
    await expect(graph.api("/applications(uniqueName='nobody')").patch({ displayName: 'x' })).rejects.toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
  });

  it('accepts identifierUris only as api://{appId} or on a verified domain', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'API with URI' });
    await graph.api(`/applications/${app.id}`).patch({ identifierUris: [`api://${app.appId}`] });
    await graph.api(`/applications/${app.id}`).patch({ identifierUris: ['https://contoso.example/api-with-uri'] });
    await expect(graph.api(`/applications/${app.id}`).patch({ identifierUris: ['https://vendor.example.com/api'] })).rejects.toMatchObject({
      statusCode: 400, code: 'HostNameNotOnVerifiedDomain', message: "Values of identifierUris property must use a verified domain of the organization or its subdomain: 'https://vendor.example.com/api'",
    });
  });

  it('needs an existing application for a service principal, allows only one, and deletes it with the app', async () => {
    const graph = graphClient(cloud);
    const missing = '0d8a5f8e-1111-4222-8333-944455556666';
    await expect(graph.api('/servicePrincipals').post({ appId: missing })).rejects.toMatchObject({ statusCode: 400, message: `The appId '${missing}' of the service principal does not reference a valid application object.` });
    const app = await graph.api('/applications').post({ displayName: 'Short-lived' });
    const sp = await graph.api('/servicePrincipals').post({ appId: app.appId });
    await expect(graph.api('/servicePrincipals').post({ appId: app.appId })).rejects.toMatchObject({ statusCode: 409, code: 'Request_MultipleObjectsWithSameKeyValue' });
    const graphSp = await graph.api(`/servicePrincipals(appId='${GRAPH_APP_ID}')`).select('id').get();
    await graph.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'User.Read' });
    await graph.api(`/applications/${app.id}`).delete();
    await expect(graph.api(`/servicePrincipals/${sp.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
    expect(cloud.state.oauth2PermissionGrants.filter((g) => g.clientId === sp.id)).toEqual([]);
  });

  it('refuses duplicate grants with Graph\'s errors, and updates and deletes grants', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'Granted twice' });
    const sp = await graph.api('/servicePrincipals').post({ appId: app.appId });
    const graphSp = await graph.api(`/servicePrincipals(appId='${GRAPH_APP_ID}')`).get();
    const grant = await graph.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'User.Read' });
    await expect(graph.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'Mail.Read' })).rejects.toMatchObject({
      statusCode: 409, code: 'Request_MultipleObjectsWithSameKeyValue', message: 'Permission entry already exists.',
    });
    await graph.api(`/oauth2PermissionGrants/${grant.id}`).patch({ scope: 'User.Read Mail.Read' });
    expect((await graph.api(`/oauth2PermissionGrants/${grant.id}`).get()).scope).toBe('User.Read Mail.Read');
    const role = graphSp.appRoles.find((r: { value: string }) => r.value === 'Mail.Send');
    const assignment = { principalId: sp.id, resourceId: graphSp.id, appRoleId: role.id };
    const created = await graph.api(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo`).post(assignment);
    await expect(graph.api(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo`).post(assignment)).rejects.toMatchObject({ statusCode: 400, message: 'Permission being assigned already exists on the object.' });
    await graph.api(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo/${created.id}`).delete();
    await graph.api(`/oauth2PermissionGrants/${grant.id}`).delete();
    expect(cloud.state.oauth2PermissionGrants.some((g) => g.id === grant.id)).toBe(false);
  });

  it('returns the secret text only once', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'Secret once' });
    const password = await graph.api(`/applications/${app.id}/microsoft.graph.addPassword`).post({ passwordCredential: { displayName: 'one', endDateTime: '2030-01-01T00:00:00Z' } });
    const listed = await graph.api('/applications').filter(`appId eq '${app.appId}'`).select('passwordCredentials').get();
    expect(listed.value[0].passwordCredentials[0]).toMatchObject({ keyId: password.keyId, secretText: null, hint: password.secretText.slice(0, 3), endDateTime: '2030-01-01T00:00:00.000Z' });
    expect(JSON.stringify(cloud.state.applications)).not.toContain(password.secretText);
    await graph.api(`/applications/${app.id}/removePassword`).post({ keyId: password.keyId });
    expect((await graph.api(`/applications/${app.id}`).get()).passwordCredentials).toEqual([]);
  });

  it('pages with $top and @odata.nextLink, counts with ConsistencyLevel: eventual, and filters and selects', async () => {
    cloud.seedApps(230, { prefix: 'Paged' });
    const graph = graphClient(cloud);
    const first = await graph.api('/applications').filter("startswith(displayName,'Paged')").top(100).get();
    expect(first.value).toHaveLength(100);
    expect(first['@odata.nextLink']).toContain('$skiptoken=');
    const names: string[] = [];
    await new PageIterator(graph, first, (app: Body) => { names.push(app.displayName); return true; }).iterate();
    expect(new Set(names).size).toBe(230);
    const counted = await graph.api('/applications').header('ConsistencyLevel', 'eventual').filter("startswith(displayName,'Paged')").count(true).top(1).get();
    expect(counted['@odata.count']).toBe(230);
    await expect(graph.api('/applications').count(true).get()).rejects.toMatchObject({ statusCode: 400 });
    const tagged = await graph.api('/applications').filter("tags/any(t:t eq 'Vendor')").select('id,displayName,tags').get();
    expect(tagged.value.length).toBeGreaterThan(20);
    expect(Object.keys(tagged.value[0]).sort()).toEqual(['displayName', 'id', 'tags']);
    const unknownApi = await graph.api('/applications').filter("requiredResourceAccess/any(r:r/resourceAppId eq '3f8e2d1c-7b6a-4e5d-9c8b-1a2f3e4d5c6b')").get();
    expect(unknownApi.value.map((a: Body) => a.displayName)).toEqual(['Fabrikam Expenses']);
    const searched = await graph.api('/applications').header('ConsistencyLevel', 'eventual').search('"displayName:payroll"').get();
    expect(searched.value.map((a: Body) => a.displayName)).toEqual(['Payroll Sync (legacy)']);
  });

  it('lists owners, and lets a caller with Application.ReadWrite.All add another owner', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'Owned' });
    const megan = cloud.users.find((u) => u.name === 'Megan Bowen')!;
    // OwnedBy is not enough to add an owner (strictGraph.test.ts); an admin tool with Application.ReadWrite.All is.
    const admin = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Owner admin', graphRoles: ['Application.ReadWrite.All'] })));
    await admin.api(`/applications/${app.id}/owners/$ref`).post({ '@odata.id': `${cloud.graphBaseUrl}/directoryObjects/${megan.id}` });
    const owners = await graph.api(`/applications/${app.id}/owners`).get();
    expect(owners.value.map((o: Body) => o['@odata.type']).sort()).toEqual(['#microsoft.graph.servicePrincipal', '#microsoft.graph.user']);
    const alex = cloud.users.find((u) => u.name === 'Alex Wilber')!;
    const bound = await graph.api('/applications').post({ displayName: 'Owned at birth', 'owners@odata.bind': [`${cloud.graphBaseUrl}/directoryObjects/${alex.id}`] });
    expect(cloud.state.ownersOf(bound.id).sort()).toEqual([alex.id, cloud.worker.servicePrincipalId].sort());
  });
});
