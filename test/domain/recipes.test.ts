import { parseCommand } from '../../src/domain/commands';
import { recipeById, recipes, validateRecipe, RecipeError } from '../../src/domain/catalog/recipes';
import { permissionCatalog, riskOf } from '../../src/domain/catalog/permissions';
import { buildPlan, type RegistrationPlan } from '../../src/domain/plan';
import { ids, recipeRows } from './recipeTable';
import cirrusConnect from '../../src/domain/catalog/recipes/cirrusConnect.json';

const settings = { seed: 'REQ-TEST0001', maxSecretLifetimeDays: 730 };

function planFor(text: string): RegistrationPlan {
  const command = parseCommand(text);
  if (command.kind !== 'onboard') throw new Error(`${text} parsed as ${command.kind}: ${JSON.stringify(command)}`);
  return buildPlan(recipeById(command.vendor)!, command, settings);
}

describe('seed recipes reproduce the vendors\' permission sets exactly', () => {
  it.each(recipeRows.map((r) => [r.text, r]))('%s', (_text, row) => {
    const plan = planFor(row.text);
    const graph = plan.permissions.filter((p) => p.resource === 'Microsoft Graph');
    expect(graph.map((p) => `${p.name}/${p.type[0]}`).sort()).toEqual([...row.graph].sort());
    for (const p of graph) {
      expect(p.id).toBe(ids[`${p.name}/${p.type[0]}`]);
      expect(permissionCatalog.byId(p.id, p.type)?.name).toBe(p.name);
    }
    expect(plan.permissions.filter((p) => p.resource === 'this app').map((p) => p.name)).toEqual(row.self);
    expect(plan.secret.issue).toBe(row.secret);
    // requiredResourceAccess carries the same ids, as app roles (Role) and scopes (Scope).
    const access = (plan.application.requiredResourceAccess as { resourceAccess: { id: string; type: string }[] }[]).flatMap((r) => r.resourceAccess);
    expect(access.map((a) => `${a.id}:${a.type}`).sort()).toEqual(graph.map((p) => `${p.id}:${p.type === 'Application' ? 'Role' : 'Scope'}`).sort());
    expect(plan.grants.appRoles.map((g) => g.id).sort()).toEqual(graph.filter((p) => p.type === 'Application').map((p) => p.id).sort());
  });

  it('marks SecurEnds\' Directory.AccessAsUser.All as high risk', () => {
    const plan = planFor('onboard securends');
    expect(plan.permissions.find((p) => p.name === 'Directory.AccessAsUser.All')?.risk).toBe('high');
    expect(plan.risk).toBe('high');
  });
});

describe('Cirrus Connect app shape', () => {
  const plan = planFor('onboard cirrus connect mail delegated for Contoso.CIRRUS.Example');
  const app = plan.application as { web: { redirectUris: string[]; implicitGrantSettings: Record<string, boolean> }; publicClient: { redirectUris: string[] }; isFallbackPublicClient: boolean; api: { requestedAccessTokenVersion: number; oauth2PermissionScopes: { value: string; type: string; isEnabled: boolean; id: string }[] }; signInAudience: string };

  it('lowercases every redirect URI, even from a mixed-case domain', () => {
    expect(app.web.redirectUris).toEqual(['https://contoso.cirrus.example/webclient/signin-oidc', 'https://contoso.cirrus.example/supervisor/signin-oidc', 'https://contoso.cirrus.example/administrator/signin-oidc']);
    expect(app.publicClient.redirectUris).toEqual(['https://login.microsoftonline.com/common/oauth2/nativeclient', 'http://localhost:8639']);
    for (const uri of [...app.web.redirectUris, ...app.publicClient.redirectUris]) expect(uri).toBe(uri.toLowerCase());
  });

  it('turns on implicit grant and public client flows, single tenant, v2 tokens', () => {
    expect(app.signInAudience).toBe('AzureADMyOrg');
    expect(app.web.implicitGrantSettings).toEqual({ enableAccessTokenIssuance: true, enableIdTokenIssuance: true });
    expect(app.isFallbackPublicClient).toBe(true);
    expect(app.api.requestedAccessTokenVersion).toBe(2);
  });

  it('exposes Unexus.Access (admins and users may consent) and grants it to itself', () => {
    expect(app.api.oauth2PermissionScopes).toEqual([expect.objectContaining({ value: 'Unexus.Access', type: 'User', isEnabled: true, adminConsentDisplayName: 'Cirrus Connect Access' })]);
    const scopeId = app.api.oauth2PermissionScopes[0].id;
    expect(plan.afterCreate?.identifierUris).toEqual(['api://{appId}']);
    expect(plan.afterCreate?.requiredResourceAccess).toContainEqual({ resourceAppId: '{appId}', resourceAccess: [{ id: scopeId, type: 'Scope' }] });
    expect(plan.grants.delegated).toContainEqual({ resourceAppId: '{appId}', scopes: ['Unexus.Access'] });
  });

  it('issues no secret for delegated functions only, and one as soon as any function is application', () => {
    expect(plan.secret).toEqual({ issue: false, lifetimeDays: 180 });
    expect(planFor('onboard cirrus connect mail delegated calendar domain=a.example.com').secret.issue).toBe(true);
  });

  it('asks for the Cirrus domain until it is given, and rejects one that is not a host name', () => {
    expect(planFor('onboard cirrus connect mail delegated').missingInputs.map((m) => m.name)).toEqual(['domain']);
    const bad = planFor('onboard cirrus connect mail delegated domain="not a host"');
    expect(bad.missingInputs[0].problem).toContain('is not a host name');
  });

  it('renders the Exchange Application Access Policy follow-up for application mail', () => {
    const mail = planFor('onboard cirrus connect mail application domain=a.example.com');
    expect(mail.followUps.some((f) => f.includes('New-ApplicationAccessPolicy -AppId {appId}'))).toBe(true);
    expect(plan.followUps.some((f) => f.includes('New-ApplicationAccessPolicy'))).toBe(false);
    expect(plan.followUps.some((f) => f.includes('dedicated service account'))).toBe(true);
  });
});

describe('recipe validation', () => {
  it('names the file and the field of an invalid recipe', () => {
    const broken = { ...cirrusConnect, features: [{ ...cirrusConnect.features[0], words: ['AD!'] }] };
    expect(() => validateRecipe('broken.json', broken)).toThrow(RecipeError);
    expect(() => validateRecipe('broken.json', broken)).toThrow(/broken\.json[\s\S]*features\.0\.words\.0/);
  });

  it('refuses a permission the Graph catalogue does not have', () => {
    const broken = { ...cirrusConnect, basePermissions: [{ name: 'User.Reed', type: 'Delegated' }] };
    expect(() => validateRecipe('typo.json', broken)).toThrow(/basePermissions\.0: Delegated permission User\.Reed is not in the Microsoft Graph catalogue/);
  });

  it('loads every seed vendor', () => {
    expect(recipes().map((r) => r.name)).toEqual(['Cirrus Connect', 'Cirrus Insight', 'Miradore', 'SecurEnds']);
  });
});

describe('risk tiers', () => {
  it.each([
    ['Mail.Send', 'Application', true, 'high'],
    ['Mail.ReadWrite', 'Application', true, 'high'],
    ['Mail.Read', 'Application', true, 'high'],
    ['Directory.Read.All', 'Application', true, 'high'],
    ['Application.ReadWrite.OwnedBy', 'Application', true, 'high'],
    ['AppRoleAssignment.ReadWrite.All', 'Application', true, 'tier0'],
    ['RoleManagement.Read.Directory', 'Application', true, 'high'],
    ['Presence.ReadWrite.All', 'Application', true, 'high'],
    ['User.Read.All', 'Application', true, 'medium'],
    ['Calendars.Read', 'Application', true, 'medium'],
    ['Directory.AccessAsUser.All', 'Delegated', true, 'high'],
    ['User.Read.All', 'Delegated', true, 'medium'],
    ['Directory.Read.All', 'Delegated', true, 'medium'],
    ['User.Read', 'Delegated', false, 'low'],
    ['Mail.Send.Shared', 'Delegated', false, 'low'],
  ] as const)('%s (%s) is %s', (name, type, adminConsentRequired, expected) => {
    expect(riskOf({ name, type, adminConsentRequired })).toBe(expected);
  });
});
