import bundled from '../../src/domain/catalog/graphPermissions.json';
import type { LocalCloud } from '../../src/localcloud';
import { createGraphClient, type GraphCallRecord } from '../../src/adapters/graph/graphClient';
import { GraphMembership } from '../../src/adapters/graph/graphMembership';
import { GraphPermissionCheck } from '../../src/adapters/graph/graphPermissionCheck';
import { GraphDirectory } from '../../src/adapters/graph/graphDirectory';
import { DirectoryError } from '../../src/app/directoryPort';
import { credentialFor, startTestCloud } from '../localcloud/helpers';
import { BOT_GRAPH_ROLES } from '../../src/domain/identities';

const GRADY = '8d4e5f6a-7b8c-4d9e-9f0a-2b3c4d5e6f74';
const MEGAN = '00000000-0000-0000-0000-0000000000021';
type Entry = { name: string; type: 'Application' | 'Delegated'; id: string };

describe('the Graph adapter against the local cloud', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  const log = { info: jest.fn(), warn: jest.fn() };
  // Strong consistency: each adapter call is asserted right after the create before it; the saga's lag tolerance is tested in faults.test.ts.
  beforeAll(async () => ({ cloud, stop } = await startTestCloud({ consistency: 'strong' })));
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  const directory = (observe?: (c: GraphCallRecord) => void) => new GraphDirectory({ credential: credentialFor(cloud), baseUrl: cloud.graphBaseUrl, clientId: cloud.worker.clientId, observe });

  it('sends the token to the local cloud (customHosts from the base URL, no port) and reads the tenant', async () => {
    const calls: GraphCallRecord[] = [];
    const graph = directory((c) => calls.push(c));
    expect(await graph.organization()).toEqual({ id: cloud.tenantId, displayName: cloud.tenantName });
    expect(await graph.organization()).toEqual({ id: cloud.tenantId, displayName: cloud.tenantName });
    expect(calls).toHaveLength(1);
    expect((await graph.ownRoles()).sort()).toContain('AppRoleAssignment.ReadWrite.All');
  });

  // Access tokens are opaque to clients (https://learn.microsoft.com/entra/identity-platform/access-tokens): the roles come
  // from Graph, so a role revoked after the token was issued is missing at once, though the cached token still lists it.
  it('reads its own roles from its service principal\'s appRoleAssignments, not from its (cached) token', async () => {
    const graph = directory();
    expect(await graph.ownRoles()).toContain('Organization.Read.All');
    cloud.revokeWorkerRole('Organization.Read.All');
    try {
      expect(await graph.ownRoles()).not.toContain('Organization.Read.All');
      expect(await graph.organization()).toMatchObject({ id: cloud.tenantId });
    } finally {
      cloud.grantWorkerRole('Organization.Read.All');
    }
  });

  it('upserts by uniqueName: a second upsert finds the same application; failures come back as DirectoryError', async () => {
    const graph = directory();
    const first = await graph.upsertApplication('onboard-adapter-1', { displayName: 'Adapter test' });
    const again = await graph.upsertApplication('onboard-adapter-1', { displayName: 'Adapter test' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, appId: first.appId, created: false });
    const sp = await graph.ensureServicePrincipal(first.appId);
    expect(await graph.ensureServicePrincipal(first.appId)).toEqual({ ...sp, created: false });
    // OwnedBy cannot add another owner (https://learn.microsoft.com/graph/api/application-post-owners; docs/deploy.md).
    await expect(graph.addOwner(first.id, MEGAN)).rejects.toMatchObject({ name: 'DirectoryError', status: 403, code: 'Authorization_RequestDenied' });
    await graph.removePassword(first.id, '5d5e3c1a-0000-4000-8000-000000000000');
    await expect(graph.patchApplication(first.id, { identifierUris: ['https://not-ours.example.org'] })).rejects.toMatchObject({ name: 'DirectoryError', status: 400, code: 'HostNameNotOnVerifiedDomain' });
    await expect(graph.patchApplication('00000000-0000-4000-8000-00000000dead', {})).rejects.toBeInstanceOf(DirectoryError);
  });

  it('reports catalogue differences and missing roles on the graph health probe, and logs them', async () => {
    const catalogue = (bundled as { permissions: Entry[] }).permissions;
    const changed: Entry[] = [
      ...catalogue.filter((e) => e.name !== 'Mail.Send' && e.name !== 'User.Read'),
      { name: 'Mail.Send', type: 'Application', id: '00000000-0000-4000-8000-000000000001' },
      { name: 'Made.Up.All', type: 'Application', id: '00000000-0000-4000-8000-000000000002' },
    ];
    const asBot = () => new GraphDirectory({ credential: credentialFor(cloud, cloud.bot), baseUrl: cloud.graphBaseUrl, clientId: cloud.bot.clientId });
    const bot = { expected: BOT_GRAPH_ROLES, who: 'Onboard' };
    expect(await new GraphPermissionCheck(asBot(), log, bot).probe().check()).toEqual({ state: 'ok', detail: undefined });
    cloud.revokeBotRole('Organization.Read.All');
    try {
      // A new credential: role changes reach only tokens issued afterwards.
      const probe = new GraphPermissionCheck(asBot(), log, bot, 3_600_000, changed).probe();
      const health = await probe.check();
      expect(health.state).toBe('degraded');
      expect(health.detail).toContain("Onboard's identity lacks Organization.Read.All");
      expect(health.detail).toContain('Mail.Send (Application) is b633e1c5-b582-4048-a93e-9f11b44c7e96 in the tenant, 00000000-0000-4000-8000-000000000001 in the catalogue');
      expect(health.detail).toContain('Made.Up.All (Application) is missing in the tenant');
      expect(health.detail).toMatch(/\d+ tenant permissions? not in the bundled catalogue/);
      expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ missingRoles: ['Organization.Read.All'] }), expect.stringContaining('lacks Graph permissions'));
    } finally {
      cloud.grantBotRole('Organization.Read.All');
    }
  });

  it('membership: checkMemberGroups needs User.Read.All, so it falls back to transitiveMemberOf; answers are cached for five minutes', async () => {
    const calls: GraphCallRecord[] = [];
    const { client } = createGraphClient({ credential: credentialFor(cloud), baseUrl: cloud.graphBaseUrl, observe: (c) => calls.push(c) });
    let now = 0;
    const membership = new GraphMembership(client, 300_000, () => now);
    const groups = [cloud.groups.approvers, cloud.groups.helpdesk];
    expect(await membership.memberOf(GRADY, groups)).toEqual(new Set([cloud.groups.helpdesk]));
    expect(calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 403', 'GET 200']);
    expect(await membership.memberOf(MEGAN, groups)).toEqual(new Set([cloud.groups.approvers]));
    const before = calls.length;
    now += 299_000;
    await membership.memberOf(GRADY, groups);
    expect(calls.length).toBe(before);
    now += 2_000;
    await membership.memberOf(GRADY, groups);
    expect(calls.length).toBe(before + 1);
    expect(await membership.memberOf('someone-unknown', groups)).toEqual(new Set());
  });
});
