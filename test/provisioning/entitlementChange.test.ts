import type { LocalCloud } from '../../src/localcloud';
import { GraphDirectory } from '../../src/adapters/graph/graphDirectory';
import { credentialFor, graphClient, startTestCloud, type Body } from '../localcloud/helpers';

const scope = (value: string) => ({
  id: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', value, type: 'User', isEnabled: true, adminConsentDisplayName: `Access ${value}`,
  adminConsentDescription: `Access ${value}`, userConsentDisplayName: `Access ${value}`, userConsentDescription: `Access ${value}`,
});

/**
 * Entra refuses to change or remove an enabled scope or app role (400 CannotDeleteOrUpdateEnabledEntitlement; "To delete
 * a permission, this property must first be set to false", https://learn.microsoft.com/graph/api/resources/permissionscope).
 * Onboard's re-upserts and patches go through disable-then-change.
 */
describe('GraphDirectory changes scopes and app roles the way Entra allows', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let directory: GraphDirectory;
  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    directory = new GraphDirectory({ credential: credentialFor(cloud), baseUrl: cloud.graphBaseUrl, clientId: cloud.bot.clientId, retry: { delaySeconds: 0.2, maxRetries: 2 } });
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  /** Waits out replication lag (on by default) the way the saga does (classifyFailure): a 404 or an upsert's uniqueName clash. */
  async function visible<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        const { status, message } = error as { status?: number; message?: string };
        if (status !== 404 && !(status === 400 && /same value for property uniqueName/.test(message ?? ''))) throw error;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  it('patches a changed scope and drops an app role that is enabled', async () => {
    const role = { id: '1d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a', value: 'Sync.All', displayName: 'Sync', description: 'Sync', allowedMemberTypes: ['Application'], isEnabled: true };
    const app = await directory.upsertApplication(`entitlements-${Date.now()}`, { displayName: 'Entitled', api: { oauth2PermissionScopes: [scope('files.read')] }, appRoles: [role] });
    await visible(() => directory.patchApplication(app.id, { api: { oauth2PermissionScopes: [scope('files.read.all')] }, appRoles: [] }));
    const after = await graphClient(cloud).api(`/applications/${app.id}`).get();
    expect(after.api.oauth2PermissionScopes.map((s: Body) => [s.value, s.isEnabled])).toEqual([['files.read.all', true]]);
    expect(after.appRoles).toEqual([]);
  });

  it('re-upserts an existing app whose scope changed', async () => {
    const key = `entitlements-upsert-${Date.now()}`;
    const first = await directory.upsertApplication(key, { displayName: 'Upserted', api: { oauth2PermissionScopes: [scope('mail.send')] } });
    const again = await visible(() => directory.upsertApplication(key, { displayName: 'Upserted', api: { oauth2PermissionScopes: [scope('mail.send.shared')] } }));
    expect(again).toMatchObject({ id: first.id, created: false });
    const after = await graphClient(cloud).api(`/applications/${first.id}`).get();
    expect(after.api.oauth2PermissionScopes.map((s: Body) => s.value)).toEqual(['mail.send.shared']);
  });
});
