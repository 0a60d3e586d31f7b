import { createPublicKey, createVerify } from 'node:crypto';
import { ClientCertificateCredential } from '@azure/identity';
import { createSelfSignedCertificate, type LocalCloud } from '../../src/localcloud';
import { claimsOf, credentialFor, graphClient, secretClient, startTestCloud } from './helpers';

describe('the local cloud with the real Azure SDKs', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  // Strong consistency: these tests pin the SDKs' wire behaviour on objects they have just created.
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ consistency: 'strong' })));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  it('issues the bot a signed Graph token carrying exactly its app roles', async () => {
    const token = await credentialFor(cloud).getToken('https://graph.microsoft.com/.default');
    expect(token?.token).toBeTruthy();
    const claims = claimsOf(token!.token);
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', tid: cloud.tenantId, appid: cloud.worker.clientId, idtyp: 'app' });
    expect([...claims.roles].sort()).toEqual(['AppRoleAssignment.ReadWrite.All', 'Application.Read.All', 'Application.ReadWrite.OwnedBy', 'DelegatedPermissionGrant.ReadWrite.All', 'GroupMember.Read.All', 'Organization.Read.All']);
    const jwks = await (await fetch(`${cloud.authorityHost}/${cloud.tenantId}/discovery/v2.0/keys`)).json();
    const [header, payload, signature] = token!.token.split('.');
    const key = createPublicKey({ key: jwks.keys.find((k: { kid: string }) => k.kid === JSON.parse(Buffer.from(header, 'base64url').toString()).kid), format: 'jwk' });
    expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('refuses a wrong secret with Entra\'s invalid_client error', async () => {
    const credential = credentialFor(cloud, { clientId: cloud.bot.clientId, clientSecret: 'not-the-secret' });
    await expect(credential.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/AADSTS7000215.*Invalid client secret/s);
  });

  it('creates an app, its service principal, a password and grants through the Graph client, and reads them back', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'Cirrus Connect', tags: ['Onboard'], requiredResourceAccess: [{ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }] }] });
    expect(app).toMatchObject({ displayName: 'Cirrus Connect', appId: expect.any(String), id: expect.any(String) });
    const sp = await graph.api('/servicePrincipals').post({ appId: app.appId });
    const password = await graph.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'handover' } });
    expect(password.secretText).toMatch(/^.{3}8Q~.{34}$/);
    const graphSp = (await graph.api('/servicePrincipals').filter("appId eq '00000003-0000-0000-c000-000000000000'").get()).value[0];
    const userRead = graphSp.oauth2PermissionScopes.find((s: { value: string }) => s.value === 'User.Read');
    const grant = await graph.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp.id, scope: 'User.Read' });
    const mailRead = graphSp.appRoles.find((r: { value: string }) => r.value === 'Mail.Read');
    const assignment = await graph.api(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo`).post({ principalId: sp.id, resourceId: graphSp.id, appRoleId: mailRead.id });

    const read = await graph.api(`/applications/${app.id}`).get();
    expect(read.passwordCredentials).toEqual([expect.objectContaining({ displayName: 'handover', hint: password.secretText.slice(0, 3), secretText: null })]);
    expect(read.requiredResourceAccess[0].resourceAccess[0].id).toBe(userRead.id);
    expect((await graph.api(`/servicePrincipals(appId='${app.appId}')`).get()).id).toBe(sp.id);
    expect((await graph.api('/oauth2PermissionGrants').filter(`clientId eq '${sp.id}'`).get()).value).toEqual([expect.objectContaining({ id: grant.id, scope: 'User.Read' })]);
    expect((await graph.api(`/servicePrincipals/${sp.id}/appRoleAssignments`).get()).value).toEqual([expect.objectContaining({ id: assignment.id, appRoleId: mailRead.id, resourceDisplayName: 'Microsoft Graph' })]);
    expect(cloud.state.ownersOf(app.id)).toEqual([cloud.worker.servicePrincipalId]);
  });

  it('sets, gets, deletes and purges a secret through SecretClient', async () => {
    const vault = secretClient(cloud);
    const set = await vault.setSecret('handover-1', 's3cr3t', { contentType: 'text/plain', tags: { requestId: 'r1' } });
    expect(set.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect((await vault.getSecret('handover-1')).value).toBe('s3cr3t');
    const poller = await vault.beginDeleteSecret('handover-1');
    const deleted = await poller.pollUntilDone();
    expect(deleted.properties.recoveryLevel).toBe('Recoverable+Purgeable');
    await expect(vault.getSecret('handover-1')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    await vault.purgeDeletedSecret('handover-1');
    await expect(vault.getDeletedSecret('handover-1')).rejects.toMatchObject({ statusCode: 404 });
    expect(cloud.state.vault.secrets['handover-1']).toBeUndefined();
    expect(cloud.state.vault.deleted).not.toContain('handover-1');
  });

  it('authenticates an app with a certificate client_assertion registered in its keyCredentials', async () => {
    const admin = cloud.addClientApp({ displayName: 'Directory admin', graphRoles: ['Application.ReadWrite.All'] });
    const daemon = cloud.addClientApp({ displayName: 'Certificate daemon', graphRoles: ['Application.Read.All'] });
    const certificate = createSelfSignedCertificate('certificate-daemon');
    const graph = graphClient(cloud, credentialFor(cloud, admin));
    await graph.api(`/applications/${daemon.appObjectId}`).patch({ keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: certificate.derBase64, displayName: 'CN=certificate-daemon' }] });
    const withKey = await graph.api(`/applications/${daemon.appObjectId}`).select('keyCredentials').get();
    expect(withKey.keyCredentials[0]).toMatchObject({ key: certificate.derBase64, type: 'AsymmetricX509Cert' });
    const byCertificate = new ClientCertificateCredential(cloud.tenantId, daemon.clientId, { certificate: certificate.certPem + certificate.keyPem }, { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true });
    const claims = claimsOf((await byCertificate.getToken('https://graph.microsoft.com/.default'))!.token);
    expect(claims).toMatchObject({ appid: daemon.clientId, appidacr: '2', roles: ['Application.Read.All'] });
    const stranger = createSelfSignedCertificate('stranger');
    const wrong = new ClientCertificateCredential(cloud.tenantId, daemon.clientId, { certificate: stranger.certPem + stranger.keyPem }, { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true });
    await expect(wrong.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/AADSTS700027/);
  });

  it('shows people what exists on its home page, with secret hints but never secret values', async () => {
    const graph = graphClient(cloud);
    const app = await graph.api('/applications').post({ displayName: 'Visible <b>Vendor</b>' });
    const password = await graph.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'handover' } });
    await secretClient(cloud).setSecret('shown-by-name', 'never-on-the-page');
    const reply = await fetch(`${cloud.url}/`);
    expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await reply.text();
    expect(html).toContain('Visible &lt;b&gt;Vendor&lt;/b&gt;');
    expect(html).toContain(`secret ${password.secretText.slice(0, 3)}…`);
    expect(html).toContain('shown-by-name');
    expect(html).toContain('Onboard Approvers');
    for (const secret of [password.secretText, 'never-on-the-page', cloud.bot.clientSecret]) expect(html).not.toContain(secret);
  });
});
