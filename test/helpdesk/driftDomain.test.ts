import { MICROSOFT_GRAPH_APP_ID, permissionCatalog } from '../../src/domain/catalog/permissions';
import { driftOf, recipeForAppId, referenceFromRecipe, vendorOf } from '../../src/domain/drift';
import { driftFixPlan } from '../../src/domain/driftFix';
import { permissionRows, suggestNames, type AppRecord, type AppSnapshot } from '../../src/domain/inspection';
import { recipeById } from '../../src/domain/catalog/recipes';

const role = (name: string) => permissionCatalog.find(name, 'Application')!.id;
const GRAPH_SP = 'graph-sp';

function app(overrides: Partial<AppRecord> = {}): AppRecord {
  return {
    id: 'obj', appId: '11111111-1111-4111-8111-111111111111', displayName: 'Miradore (old)', createdDateTime: null, tags: [],
    requiredResourceAccess: [], webRedirectUris: [], publicClientRedirectUris: [], requestedAccessTokenVersion: null, passwords: [], certificates: [], ...overrides,
  };
}

function snapshot(record: AppRecord, granted: string[], grants: AppSnapshot['grants'] = []): AppSnapshot {
  return {
    app: record, owners: [], servicePrincipalId: 'sp', grants,
    assignments: granted.map((name) => ({ resourceId: GRAPH_SP, appRoleId: role(name) })),
    resources: [{ id: GRAPH_SP, appId: MICROSOFT_GRAPH_APP_ID, displayName: 'Microsoft Graph', appRoles: [], scopes: [] }],
  };
}

describe('drift against a vendor recipe, for an app Onboard did not make', () => {
  it('a recipe is a reference only for the appIds it allow-lists; the seeds list none', () => {
    const miradore = recipeById('miradore')!;
    expect(recipeForAppId('11111111-1111-4111-8111-111111111111')).toBeUndefined();
    expect(recipeForAppId('11111111-1111-4111-8111-111111111111', [{ ...miradore, knownAppIds: ['11111111-1111-4111-8111-111111111111'] }])?.id).toBe('miradore');
  });

  it('a fix that only removes is as risky as what it removes', () => {
    const record = app({ requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: role('User.Read.All'), type: 'Role' }] }] });
    const drift = driftOf(record, permissionRows(snapshot(record, ['User.Read.All', 'Directory.Read.All'])), referenceFromRecipe(recipeById('miradore')!, record.appId));
    const fix = driftFixPlan({ ...record, servicePrincipalId: 'sp' }, drift)!;
    expect(fix.permissions).toEqual([]);
    expect(fix.remove.map((p) => [p.name, p.risk])).toEqual([['Directory.Read.All', 'high']]);
    expect(fix.risk).toBe('high');
  });

  it('knows the vendor by Onboard\'s tag, a full vendor name in the display name, or a tag; not by an alias two vendors share', () => {
    expect(vendorOf({ tags: ['onboard:vendor:securends'], displayName: 'Anything' })?.id).toBe('securends');
    expect(vendorOf({ tags: [], displayName: 'Cirrus Connect (contoso.cirrus.example)' })?.id).toBe('cirrus-connect');
    expect(vendorOf({ tags: ['Miradore'], displayName: 'MDM' })?.id).toBe('miradore');
    expect(vendorOf({ tags: [], displayName: 'Cirrus sync' })).toBeUndefined();
    expect(vendorOf({ tags: ['HR'], displayName: 'Contoso HR Portal' })).toBeUndefined();
  });

  it('an optional feature\'s permission is not drift; an unrelated grant is extra; a missing base permission is missing; shape differs', () => {
    const record = app({
      requestedAccessTokenVersion: 2,
      requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: role('User.Read.All'), type: 'Role' }, { id: role('Group.Read.All'), type: 'Role' }] }],
    });
    const rows = permissionRows(snapshot(record, ['Group.Read.All', 'Mail.Send']));
    const drift = driftOf(record, rows, referenceFromRecipe(recipeById('miradore')!, record.appId));
    expect(drift.source).toBe('the Miradore recipe');
    expect(drift.missing.map((m) => [m.name, m.problem])).toEqual([['User.Read.All', 'requested, not granted']]);
    expect(drift.extra.map((m) => [m.name, m.type, m.problem])).toEqual([['Mail.Send', 'Application', 'granted']]);
    expect(drift.shape).toEqual([{ what: 'Access token version', expected: 'default (1)', actual: '2' }]);

    const fix = driftFixPlan({ ...record, servicePrincipalId: 'sp' }, drift)!;
    expect(fix.permissions.map((p) => [p.name, p.id])).toEqual([['User.Read.All', role('User.Read.All')]]);
    expect(fix.remove.map((p) => [p.name, p.id])).toEqual([['Mail.Send', role('Mail.Send')]]);
    expect(fix.features).toEqual(['grant User.Read.All (Application)', 'remove Mail.Send (Application)']);
    // Granting User.Read.All is medium, but removing Mail.Send (high) is as risky as Mail.Send itself.
    expect(fix.risk).toBe('high');
    expect(driftFixPlan({ ...record, servicePrincipalId: 'sp' }, drift)!.planHash).toBe(fix.planHash);
  });

  it('an extra that is only requested is reported, but a fix does not touch it', () => {
    const record = app({ requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: role('User.Read.All'), type: 'Role' }, { id: role('Mail.Send'), type: 'Role' }] }] });
    const drift = driftOf(record, permissionRows(snapshot(record, ['User.Read.All'])), referenceFromRecipe(recipeById('miradore')!, record.appId));
    expect(drift.extra.map((m) => [m.name, m.problem])).toEqual([['Mail.Send', 'requested']]);
    expect(driftFixPlan({ ...record, servicePrincipalId: 'sp' }, drift)).toBeUndefined();
  });

  it('per-user consent is counted per person, and is not admin consent', () => {
    const record = app({ displayName: 'Expenses' });
    const rows = permissionRows(snapshot(record, [], [
      { resourceId: GRAPH_SP, consentType: 'Principal', principalId: 'u1', scope: 'Mail.Read offline_access' },
      { resourceId: GRAPH_SP, consentType: 'Principal', principalId: 'u2', scope: 'mail.read' },
    ]));
    expect(rows.map((r) => [r.name, r.granted, r.perUserCount, r.requested])).toEqual([['Mail.Read', 'per-user', 2, false], ['offline_access', 'per-user', 1, false]]);
  });
});

describe('closest app names', () => {
  const names = ['Payroll Sync (legacy)', 'Contoso HR Portal', 'Contoso Mobile', 'Fabrikam Expenses'];
  it('finds near misses of the whole name, its beginning, or its words', () => {
    expect(suggestNames('payrol sink', names)).toEqual(['Payroll Sync (legacy)']);
    expect(suggestNames('fabrikam expenes', names)).toEqual(['Fabrikam Expenses']);
    expect(suggestNames('mobile', names)).toEqual(['Contoso Mobile']);
    expect(suggestNames('zebra crossing', names)).toEqual([]);
  });
});
