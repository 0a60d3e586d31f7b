import type { LocalCloud } from '../../src/localcloud';
import { InspectApp, type Inspection, type InspectOutcome } from '../../src/app/helpdesk/inspectApp';
import { recipes } from '../../src/domain/catalog/recipes';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { ManualClock } from '../support/fakes';
import { counted, helpdeskActor, helpdeskStack } from './helpdeskStack';

const found = (outcome: InspectOutcome): Inspection => {
  if (outcome.kind !== 'found') throw new Error(`expected one app, got ${outcome.kind}`);
  return outcome.inspection;
};

describe('inspecting apps that were in the tenant before Onboard', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let helpdesk: ReturnType<typeof helpdeskStack>;
  const clock = new ManualClock(new Date('2026-11-22T09:00:00Z'));

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    helpdesk = helpdeskStack(cloud, new TableRequestStore(createTableClientFactory(testTables())), clock);
  });
  afterAll(async () => stop());
  afterEach(() => expect(cloud.contracts.violations()).toEqual([]));

  const inspect = (target: string) => helpdesk.inspect.execute({ target, actor: helpdeskActor });

  it('Fabrikam Expenses: an unknown resource API by its raw ids, and per-user delegated grants counted as such', async () => {
    const { result, requests } = await counted(helpdesk.calls, () => inspect('fabrikam expenses'));
    const app = found(result);
    expect(requests.length).toBeLessThanOrEqual(4);
    expect(app.requestId).toBeUndefined();
    expect(app.drift).toBeUndefined();
    expect(app.owners.map((o) => o.displayName)).toEqual(['Patti Fernandez']);
    const rows = app.permissions.map((p) => [p.resource, p.name, p.type, p.requested, p.granted, p.perUserCount]);
    expect(rows).toEqual([
      ['Microsoft Graph', 'Mail.Read', 'Delegated', true, 'per-user', 2],
      ['Microsoft Graph', 'offline_access', 'Delegated', true, 'per-user', 2],
      ['3f8e2d1c-7b6a-4e5d-9c8b-1a2f3e4d5c6b', '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', 'Delegated', true, 'no', 0],
    ]);
    const unknown = app.permissions[2];
    expect(unknown).toMatchObject({ resourceKnown: false, id: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', risk: 'unknown', adminConsentRequired: null });
    expect(app.permissions[0]).toMatchObject({ adminConsentRequired: false, risk: 'low' });
  });

  it('Contoso Mobile: a scope of another in-house API is named from that API', async () => {
    const app = found(await inspect('Contoso Mobile'));
    expect(app.permissions.map((p) => [p.resource, p.name, p.requested, p.granted])).toEqual([
      ['Microsoft Graph', 'User.Read', true, 'admin'],
      ['Contoso Intranet API', 'access_as_user', true, 'admin'],
    ]);
  });

  it('Payroll Sync (legacy): an application permission held, and its expired secret by hint and dates only', async () => {
    const app = found(await inspect('Payroll Sync'));
    expect(app.permissions.map((p) => [p.name, p.type, p.granted, p.adminConsentRequired, p.risk])).toEqual([['User.Read.All', 'Application', 'admin', true, 'medium']]);
    expect(app.credentials).toEqual([expect.objectContaining({ kind: 'secret', name: 'payroll-2024', state: 'expired', end: '2025-03-01T00:00:00.000Z' })]);
    expect(app.credentials[0].hint).toMatch(/^.{3}…$/);
    expect(JSON.stringify(app)).not.toMatch(/secretText/);
  });

  it('finds an app by its object id and by its service principal\'s object id', async () => {
    const hr = cloud.state.applications.find((a) => a.displayName === 'Contoso HR Portal')!;
    const sp = cloud.state.servicePrincipals.find((s) => s.appId === hr.appId)!;
    expect(found(await inspect(hr.id as string)).app.appId).toBe(hr.appId);
    expect(found(await inspect(sp.id as string)).app.appId).toBe(hr.appId);
  });

  it('an enterprise app (registered in another organisation): its grants here, found by name, appId or object id', async () => {
    const acme = cloud.addEnterpriseApp({
      displayName: 'Acme Analytics', publisherTenantId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', graphRoles: ['Directory.Read.All'], adminScopes: ['User.Read'],
      userScopes: [{ userId: '00000000-0000-0000-0000-0000000000020', scopes: ['Mail.Read'] }, { userId: '00000000-0000-0000-0000-0000000000024', scopes: ['Mail.Read'] }],
    });
    const { result, requests } = await counted(helpdesk.calls, () => inspect('acme'));
    const app = found(result);
    expect(requests.length).toBeLessThanOrEqual(4);
    expect(app.app).toMatchObject({ kind: 'enterprise', appId: acme.appId, id: acme.servicePrincipalId, publisherTenantId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e' });
    expect(app.permissions.map((p) => [p.name, p.type, p.granted, p.perUserCount, p.risk])).toEqual([
      ['Directory.Read.All', 'Application', 'admin', 0, 'high'],
      ['Mail.Read', 'Delegated', 'per-user', 2, 'low'],
      ['User.Read', 'Delegated', 'admin', 0, 'low'],
    ]);
    expect(app.drift).toBeUndefined();
    expect(found(await inspect(acme.appId)).app.id).toBe(acme.servicePrincipalId);
    expect(found(await inspect(acme.servicePrincipalId)).app.appId).toBe(acme.appId);
  });

  it('an enterprise app named like a vendor is only a hint; its recipe applies once the recipe allow-lists its appId', async () => {
    const miradore = cloud.addEnterpriseApp({ displayName: 'Miradore Online', publisherTenantId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', graphRoles: ['User.Read.All', 'Mail.Send'] });
    const byName = found(await inspect('Miradore Online'));
    expect(byName).toMatchObject({ vendor: undefined, vendorHint: 'Miradore', drift: undefined });

    // The vendor's own multi-tenant app, declared in the recipe: drift from it counts only what is granted here.
    const allowListed = new InspectApp({ inventory: helpdesk.inventory, requests: helpdesk.requests, clock, soonDays: 30, recipes: () => recipes().map((r) => (r.id === 'miradore' ? { ...r, knownAppIds: [miradore.appId] } : r)) });
    const app = found(await allowListed.execute({ target: 'Miradore Online', actor: helpdeskActor }));
    expect(app.vendor).toBe('Miradore');
    expect(app.drift).toMatchObject({ source: 'the Miradore recipe', missing: [], shape: [] });
    expect(app.drift!.extra.map((e) => [e.name, e.type, e.problem])).toEqual([['Mail.Send', 'Application', 'granted']]);
  });

  it('several apps fit: a choice; none fits: the closest names', async () => {
    const several = await inspect('Contoso');
    expect(several.kind === 'ambiguous' && several.choices.map((c) => c.displayName).sort()).toEqual(['Contoso HR Portal', 'Contoso Intranet API', 'Contoso Mobile']);
    const none = await inspect('Payrol Sink');
    expect(none).toEqual({ kind: 'not-found', target: 'Payrol Sink', suggestions: ['Payroll Sync (legacy)'] });
  });
});
