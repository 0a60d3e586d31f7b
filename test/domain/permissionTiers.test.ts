import tierTable from '../../src/domain/catalog/permissionTiers.json';
import { permissionCatalog, riskOf, tierOf, type PermissionType } from '../../src/domain/catalog/permissions';
import { loadRecipes, RecipeError } from '../../src/domain/catalog/recipes';
import { parseCommand } from '../../src/domain/commands';
import { createDomainPlanner } from '../../src/app/requests/domainPlanner';
import miradore from '../../src/domain/catalog/recipes/miradore.json';

/** The Tier-0 list of issue #13: each can be turned into control of the tenant, whichever its type. */
const TIER0 = [
  'RoleManagement.ReadWrite.Directory', 'RoleManagement.ReadWrite.Exchange', 'RoleManagement.ReadWrite.Defender', 'RoleManagement.ReadWrite.CloudPC',
  'AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All',
  'Policy.ReadWrite.PermissionGrant', 'Policy.ReadWrite.ConditionalAccess', 'UserAuthenticationMethod.ReadWrite.All',
  'PrivilegedAccess.ReadWrite.AzureAD', 'PrivilegedAccess.ReadWrite.AzureADGroup', 'PrivilegedAccess.ReadWrite.AzureResources',
  'Domain.ReadWrite.All', 'Organization.ReadWrite.All', 'EntitlementManagement.ReadWrite.All', 'RoleAssignmentSchedule.ReadWrite.Directory',
  'UserAuthMethod-TAP.ReadWrite.All',
];
const bothTypes = TIER0.flatMap((name) => (['Application', 'Delegated'] as PermissionType[]).map((type) => [name, type] as const));
const plan = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 });

describe('permission tiers (docs/recipes.md, "Permission tiers")', () => {
  it('gives every catalogue entry a tier with a reason an approver can read', () => {
    const tiers = permissionCatalog.all().map((p) => tierOf(p));
    expect(tiers).toHaveLength(1523);
    for (const t of tiers) {
      expect(['tier0', 'high', 'medium', 'low']).toContain(t.tier);
      expect(t.reason.length).toBeGreaterThan(10);
    }
  });

  it('names only real permissions: every rule of the table matches a catalogue entry of each type it lists', () => {
    const dead = tierTable.rules.flatMap((rule) => (rule.types as PermissionType[]).filter((type) => !permissionCatalog.all().some((p) => p.type === type && tierOf(p).listed && tierOf(p).reason === rule.reason)).map((type) => `${rule.match} (${type})`));
    expect(dead).toEqual([]);
  });

  it.each(bothTypes)('%s (%s) is Tier 0', (name, type) => {
    const permission = permissionCatalog.find(name, type);
    expect(permission).toBeDefined();
    expect(riskOf(permission!)).toBe('tier0');
  });

  it.each([
    ['RoleManagement.ReadWrite.Directory', 'Delegated', 'tier0'],
    ['AppRoleAssignment.ReadWrite.All', 'Delegated', 'tier0'],
    ['Application.ReadWrite.All', 'Delegated', 'tier0'],
    ['Directory.ReadWrite.All', 'Delegated', 'tier0'],
    ['Sites.FullControl.All', 'Application', 'high'],
    ['MailboxItem.Export.All', 'Application', 'high'],
    ['Chat.Read.All', 'Application', 'high'],
    ['User.EnableDisableAccount.All', 'Application', 'high'],
    ['DeviceManagementManagedDevices.PrivilegedOperations.All', 'Application', 'high'],
    ['Group.ReadWrite.All', 'Delegated', 'high'],
  ] as const)('the example of issue #13 point 1, %s (%s), is no longer medium but %s', (name, type, expected) => {
    expect(riskOf(permissionCatalog.find(name, type)!)).toBe(expected);
  });

  it('counts a delegated permission that writes and needs admin consent as high, because Onboard consents it for everyone', () => {
    const writes = permissionCatalog.all().filter((p) => p.type === 'Delegated' && p.adminConsentRequired && /ReadWrite/.test(p.name));
    expect(writes.length).toBeGreaterThan(50);
    expect(writes.filter((p) => !['high', 'tier0'].includes(riskOf(p))).map((p) => p.name)).toEqual([]);
  });
});

describe('Tier-0 permissions are refused before anything is planned', () => {
  it.each(bothTypes)('custom request for %s (%s) is refused in chat with why and whom to ask', (name, type) => {
    const text = `onboard custom "HR" with ${name} ${type.toLowerCase()}, User.Read delegated`;
    expect(parseCommand(text).kind).toBe('unknown');
    const outcome = plan(text, {}, {}, 'draft-1');
    expect(outcome.kind).toBe('problem');
    if (outcome.kind !== 'problem') return;
    expect(outcome.message).toContain(`${name} (${type}) is Tier 0`);
    expect(outcome.message).toContain('Privileged Role Administrator');
  });

  it('refuses a Tier-0 permission named without a type, whichever type it would take', () => {
    const outcome = plan('onboard custom "HR" with Directory.ReadWrite.All', {}, {}, 'draft-1');
    expect(outcome.kind).toBe('problem');
    if (outcome.kind === 'problem') expect(outcome.message).toMatch(/Directory\.ReadWrite\.All \((Application|Delegated)\) is Tier 0/);
  });

  it('refuses a vendor recipe that names a Tier-0 permission, naming the file and field', () => {
    const poisoned = { ...miradore, basePermissions: [...miradore.basePermissions, { name: 'RoleManagement.ReadWrite.Directory', type: 'Application' }] };
    expect(() => loadRecipes({ 'miradore.json': poisoned })).toThrow(RecipeError);
    expect(() => loadRecipes({ 'miradore.json': poisoned })).toThrow(/basePermissions\.\d+: Application permission RoleManagement\.ReadWrite\.Directory is Tier 0/);
  });
});
