import { grantGraphRoles } from '../../src/deploy/grantGraphRoles';
import { ONBOARD_GRAPH_ROLES } from '../../src/domain/provisioning';
import type { LocalCloud } from '../../src/localcloud';
import { claimsOf, credentialFor, startTestCloud } from '../localcloud/helpers';

const GRAPH = 'https://graph.microsoft.com/.default';
const everyRole = ONBOARD_GRAPH_ROLES.map((r) => r.role);

describe('npm run grant-bot-permissions, against the local cloud', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  // The local cloud's bot holds AppRoleAssignment.ReadWrite.All and Application.Read.All: the same rights an admin's sign-in brings.
  let adminToken: string;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    adminToken = (await credentialFor(cloud).getToken(GRAPH))!.token;
  });
  afterAll(() => stop());

  it('gives a fresh identity exactly the Graph roles Onboard needs, and a second run changes nothing', async () => {
    const identity = cloud.addClientApp({ displayName: 'id-onboard-dev' });
    const first = await grantGraphRoles({ graphBaseUrl: cloud.graphBaseUrl, accessToken: adminToken, principalId: identity.servicePrincipalId });
    expect(first.granted.sort()).toEqual([...everyRole].sort());
    expect(first.alreadyHeld).toEqual([]);

    const token = (await credentialFor(cloud, identity).getToken(GRAPH))!.token;
    expect([...claimsOf(token).roles].sort()).toEqual([...everyRole].sort());

    const second = await grantGraphRoles({ graphBaseUrl: cloud.graphBaseUrl, accessToken: adminToken, principalId: identity.servicePrincipalId });
    expect(second).toMatchObject({ granted: [], principal: 'id-onboard-dev' });
    expect(second.alreadyHeld.sort()).toEqual([...everyRole].sort());
  });

  it('adds only what is missing when the identity already holds some roles', async () => {
    const identity = cloud.addClientApp({ displayName: 'id-onboard-partial', graphRoles: ['GroupMember.Read.All'] });
    const report = await grantGraphRoles({ graphBaseUrl: cloud.graphBaseUrl, accessToken: adminToken, principalId: identity.servicePrincipalId });
    expect(report.alreadyHeld).toEqual(['GroupMember.Read.All']);
    expect(report.granted).toHaveLength(everyRole.length - 1);
  });

  it('tells a signed-in user without the admin role what sign-in it needs', async () => {
    const identity = cloud.addClientApp({ displayName: 'id-onboard-denied' });
    const nobody = cloud.addClientApp({ displayName: 'not an admin', graphRoles: ['Application.Read.All'] });
    const token = (await credentialFor(cloud, nobody).getToken(GRAPH))!.token;
    await expect(grantGraphRoles({ graphBaseUrl: cloud.graphBaseUrl, accessToken: token, principalId: identity.servicePrincipalId }))
      .rejects.toThrow(/refused to grant .*HTTP 403.*Privileged Role Administrator/);
  });

  it('says which id to use when given something that is not the identity\'s principal id', async () => {
    await expect(grantGraphRoles({ graphBaseUrl: cloud.graphBaseUrl, accessToken: adminToken, principalId: '11111111-2222-3333-4444-555555555555' }))
      .rejects.toThrow(/MANAGED_IDENTITY_PRINCIPAL_ID/);
  });
});
