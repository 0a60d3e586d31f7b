import { graphAppRoles, graphRoleId, graphScopeId, graphScopes } from './catalogue';
import { assignmentId, newGuid } from './ids';
import { defaultServicePrincipal, emptyVault, MICROSOFT_GRAPH_APP_ID, MICROSOFT_SERVICES_TENANT_ID, type GraphObject, type StoredObject, type TenantState } from './model';
import { BOT_GRAPH_ROLES, HANDOVER_VAULT_ROLE, SEED, SEED_USERS, WORKER_GRAPH_ROLES } from './seedIds';
import { addPassword, assignAppRole, createApplication, createGrant, createServicePrincipal } from './tenant';

const KEY_VAULT_APP_ID = 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093';

/** A first-party service principal (Microsoft's own app), which exists in every tenant without an application object here. */
function firstPartyServicePrincipal(id: string, appId: string, displayName: string, extra: GraphObject): StoredObject {
  return {
    data: {
      id, deletedDateTime: null, accountEnabled: true, alternativeNames: [], appDisplayName: displayName, appDescription: null, appId,
      applicationTemplateId: null, appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID, appRoleAssignmentRequired: false, description: null,
      disabledByMicrosoftStatus: null, displayName, homepage: null, loginUrl: null, logoutUrl: null, notes: null, notificationEmailAddresses: [],
      preferredSingleSignOnMode: null, preferredTokenSigningKeyThumbprint: null, replyUrls: [], servicePrincipalType: 'Application',
      signInAudience: 'AzureADMultipleOrgs', tags: [], tokenEncryptionKeyId: null, samlSingleSignOnSettings: null, addIns: [], appRoles: [],
      info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null }, keyCredentials: [],
      oauth2PermissionScopes: [], passwordCredentials: [], resourceSpecificApplicationPermissions: [],
      verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null }, ...extra,
    },
    meta: { ownerIds: [] },
  };
}

const rra = (resourceAppId: string, access: [string, 'Role' | 'Scope'][]) => ({ resourceAppId, resourceAccess: access.map(([id, type]) => ({ id, type })) });

/** The seed tenant: see docs/localcloud.md for who is who and why the bot holds each permission. */
export function buildSeedState(options: { now: number; botSecret: string; workerSecret: string }): TenantState {
  const now = options.now;
  const state: TenantState = {
    schema: 2,
    tenant: { id: SEED.tenantId, displayName: SEED.tenantName, initialDomain: SEED.initialDomain, verifiedDomains: [...SEED.verifiedDomains], createdDateTime: '2024-01-15T09:00:00Z' },
    applications: {}, servicePrincipals: {}, appRoleAssignments: {}, oauth2PermissionGrants: {}, users: {}, groups: {}, vault: emptyVault(),
    bot: { appObjectId: SEED.bot.appObjectId, servicePrincipalId: SEED.bot.servicePrincipalId, clientId: SEED.bot.appId },
  };
  for (const user of SEED_USERS) {
    state.users[user.id] = {
      id: user.id, displayName: user.displayName, givenName: user.givenName, surname: user.surname, userPrincipalName: user.userPrincipalName,
      mail: user.userPrincipalName, jobTitle: user.jobTitle, onboardRoles: [...user.onboardRoles],
    };
  }
  const having = (role: string) => SEED_USERS.filter((u) => u.onboardRoles.includes(role as never)).map((u) => u.id);
  const group = (id: string, displayName: string, description: string, memberIds: string[]) => {
    state.groups[id] = { id, displayName, description, mailNickname: displayName.replace(/[^A-Za-z0-9]/g, '').toLowerCase(), securityEnabled: true, mailEnabled: false, groupTypes: [], memberIds };
  };
  const [firstHelpdesk, ...otherHelpdesk] = having('helpdesk');
  // Tier 2 sits inside the helpdesk group, so only a transitive lookup finds its members.
  group(SEED.groups.helpdeskTier2, 'Helpdesk Tier 2', 'Second-line support; nested in Onboard Helpdesk.', otherHelpdesk);
  group(SEED.groups.approvers, 'Onboard Approvers', 'People who approve app registrations requested through Onboard.', having('approver'));
  group(SEED.groups.helpdesk, 'Onboard Helpdesk', 'People who may ask Onboard what an app is allowed to do.', [firstHelpdesk, SEED.groups.helpdeskTier2]);

  const graph = firstPartyServicePrincipal(SEED.graphServicePrincipalId, MICROSOFT_GRAPH_APP_ID, 'Microsoft Graph', {
    servicePrincipalNames: [MICROSOFT_GRAPH_APP_ID, 'https://graph.microsoft.com', 'https://graph.microsoft.com/', 'https://canary.graph.microsoft.com', 'https://dod-graph.microsoft.us', 'https://ags.windows.net', 'https://graph.microsoft.us'],
    appRoles: graphAppRoles(), oauth2PermissionScopes: graphScopes(),
  });
  graph.meta.fromCatalogue = true;
  state.servicePrincipals[graph.data.id as string] = graph;
  state.servicePrincipals[SEED.keyVaultServicePrincipalId] = firstPartyServicePrincipal(SEED.keyVaultServicePrincipalId, KEY_VAULT_APP_ID, 'Azure Key Vault', {
    servicePrincipalNames: [KEY_VAULT_APP_ID, 'https://vault.azure.net'],
    oauth2PermissionScopes: [{ adminConsentDescription: 'Have full access to the Azure Key Vault service', adminConsentDisplayName: 'Have full access to the Azure Key Vault service', id: 'f53da476-18e3-4152-8e01-aec403e6edc0', isEnabled: true, origin: 'Application', type: 'User', userConsentDescription: 'Allow the application access to Azure Key Vault on your behalf', userConsentDisplayName: 'Have full access to the Azure Key Vault service', value: 'user_impersonation' }],
  });

  // The bot: created by an administrator, who added its secret and consented to its permissions.
  const megan = SEED_USERS[1].id;
  const bot = createApplication(state, {
    displayName: 'Onboard', description: 'Registers vendor integrations in Entra ID from Teams, after approval.', tags: ['Onboard', 'HideApp'],
    requiredResourceAccess: [rra(MICROSOFT_GRAPH_APP_ID, BOT_GRAPH_ROLES.map((r) => [graphRoleId(r), 'Role']))],
  }, { ownerIds: [megan], now, id: SEED.bot.appObjectId, appId: SEED.bot.appId });
  addPassword(bot, { displayName: 'Onboard local cloud' }, now, options.botSecret);
  createServicePrincipal(state, { appId: SEED.bot.appId, tags: ['WindowsAzureActiveDirectoryIntegratedApp'] }, { ownerIds: [megan], now, id: SEED.bot.servicePrincipalId });
  for (const role of BOT_GRAPH_ROLES) assignAppRole(state, { principalId: SEED.bot.servicePrincipalId, resourceId: SEED.graphServicePrincipalId, appRoleId: graphRoleId(role) }, now);
  state.vault.roleAssignments.push({ principalId: SEED.bot.servicePrincipalId, role: HANDOVER_VAULT_ROLE });

  // The worker: a second registration, holding the write roles; nothing that talks to people runs as it.
  const worker = createApplication(state, {
    displayName: 'Onboard worker', description: 'Provisions approved Onboard requests; no inbound endpoint.', tags: ['Onboard', 'HideApp'],
    requiredResourceAccess: [rra(MICROSOFT_GRAPH_APP_ID, WORKER_GRAPH_ROLES.map((r) => [graphRoleId(r), 'Role']))],
  }, { ownerIds: [megan], now, id: SEED.worker.appObjectId, appId: SEED.worker.appId });
  addPassword(worker, { displayName: 'Onboard local cloud' }, now, options.workerSecret);
  createServicePrincipal(state, { appId: SEED.worker.appId, tags: ['WindowsAzureActiveDirectoryIntegratedApp'] }, { ownerIds: [megan], now, id: SEED.worker.servicePrincipalId });
  for (const role of WORKER_GRAPH_ROLES) assignAppRole(state, { principalId: SEED.worker.servicePrincipalId, resourceId: SEED.graphServicePrincipalId, appRoleId: graphRoleId(role) }, now);
  state.vault.roleAssignments.push({ principalId: SEED.worker.servicePrincipalId, role: 'Key Vault Secrets Officer' });

  seedExistingApps(state, now);
  return state;
}

/** Apps that were in the tenant before Onboard: what the helpdesk asks about. */
function seedExistingApps(state: TenantState, now: number): void {
  const [alex, megan, adele, , patti] = SEED_USERS.map((u) => u.id);
  const graphSp = SEED.graphServicePrincipalId;
  const make = (body: GraphObject, owner: string) => {
    const app = createApplication(state, body, { ownerIds: [owner], now });
    const sp = createServicePrincipal(state, { appId: app.data.appId, tags: ['WindowsAzureActiveDirectoryIntegratedApp'] }, { ownerIds: [owner], now });
    return { app, sp, spId: sp.data.id as string };
  };

  const hr = make({
    displayName: 'Contoso HR Portal', description: 'Employee self-service for leave and payslips.', tags: ['HR'], signInAudience: 'AzureADMyOrg',
    web: { redirectUris: ['https://hr.contoso.example/signin-oidc'], homePageUrl: 'https://hr.contoso.example' },
    requiredResourceAccess: [rra(MICROSOFT_GRAPH_APP_ID, [[graphScopeId('User.Read'), 'Scope'], [graphScopeId('openid'), 'Scope'], [graphScopeId('profile'), 'Scope']])],
  }, megan);
  createGrant(state, { clientId: hr.spId, consentType: 'AllPrincipals', principalId: null, resourceId: graphSp, scope: 'User.Read openid profile' }, now);

  const payroll = make({
    displayName: 'Payroll Sync (legacy)', description: 'Nightly job that copies the staff list to the payroll provider.', tags: ['Finance'],
    requiredResourceAccess: [rra(MICROSOFT_GRAPH_APP_ID, [[graphRoleId('User.Read.All'), 'Role']])],
  }, adele);
  addPassword(payroll.app, { displayName: 'payroll-2024', startDateTime: '2024-03-01T00:00:00Z', endDateTime: '2025-03-01T00:00:00Z' }, now);
  assignAppRole(state, { principalId: payroll.spId, resourceId: graphSp, appRoleId: graphRoleId('User.Read.All') }, now);

  // Its second requiredResourceAccess entry names an API that has no service principal in this tenant.
  const expenses = make({
    displayName: 'Fabrikam Expenses', description: 'Expense reports; reads receipts from mail.', tags: ['Finance', 'Vendor'], signInAudience: 'AzureADMultipleOrgs',
    web: { redirectUris: ['https://expenses.fabrikam.example/auth/callback'] },
    requiredResourceAccess: [
      rra(MICROSOFT_GRAPH_APP_ID, [[graphScopeId('Mail.Read'), 'Scope'], [graphScopeId('offline_access'), 'Scope']]),
      rra('3f8e2d1c-7b6a-4e5d-9c8b-1a2f3e4d5c6b', [['6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', 'Scope']]),
    ],
  }, patti);
  for (const principalId of [alex, patti]) {
    createGrant(state, { clientId: expenses.spId, consentType: 'Principal', principalId, resourceId: graphSp, scope: 'Mail.Read offline_access' }, now);
  }

  const scopeId = newGuid();
  const intranet = createApplication(state, {
    displayName: 'Contoso Intranet API', description: 'Back end of the intranet; exposes access_as_user.', tags: ['Intranet'],
    appRoles: [{ allowedMemberTypes: ['Application'], description: 'Read intranet content as a daemon.', displayName: 'Intranet.Read.All', id: newGuid(), isEnabled: true, value: 'Intranet.Read.All' }],
    api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ adminConsentDescription: 'Access the intranet as the signed-in user.', adminConsentDisplayName: 'Access the intranet', id: scopeId, isEnabled: true, type: 'User', userConsentDescription: 'Access the intranet as you.', userConsentDisplayName: 'Access the intranet', value: 'access_as_user' }] },
  }, { ownerIds: [megan], now });
  applyIdentifierUri(intranet);
  const intranetSp = createServicePrincipal(state, { appId: intranet.data.appId }, { ownerIds: [megan], now });

  const mobile = make({
    displayName: 'Contoso Mobile', description: 'The staff mobile app.', tags: ['Intranet'], publicClient: { redirectUris: ['msauth.com.contoso.mobile://auth'] },
    requiredResourceAccess: [rra(intranet.data.appId as string, [[scopeId, 'Scope']]), rra(MICROSOFT_GRAPH_APP_ID, [[graphScopeId('User.Read'), 'Scope']])],
  }, megan);
  createGrant(state, { clientId: mobile.spId, consentType: 'AllPrincipals', principalId: null, resourceId: intranetSp.data.id as string, scope: 'access_as_user' }, now);
  createGrant(state, { clientId: mobile.spId, consentType: 'AllPrincipals', principalId: null, resourceId: graphSp, scope: 'User.Read' }, now);
}

function applyIdentifierUri(app: StoredObject): void {
  app.data.identifierUris = [`api://${String(app.data.appId)}`];
}

/**
 * Adds `count` plain applications (each with a service principal) straight into the state, bypassing HTTP, so a
 * test can stand up a large tenant in milliseconds. Names are `${prefix} 0001` …; a few get tags and permissions.
 */
export function seedExtraApps(state: TenantState, count: number, options: { now: number; prefix?: string; withServicePrincipals?: boolean; graphRoles?: (index: number) => string[] }): string[] {
  const prefix = options.prefix ?? 'Seeded App';
  const width = String(count).length < 4 ? 4 : String(count).length;
  const owner = SEED_USERS[1].id;
  const ids: string[] = [];
  const start = Object.keys(state.applications).length;
  for (let i = 1; i <= count; i++) {
    const name = `${prefix} ${String(start + i).padStart(width, '0')}`;
    const app = createApplication(state, {
      displayName: name, tags: i % 10 === 0 ? ['Vendor'] : [],
      requiredResourceAccess: i % 3 === 0 ? [rra(MICROSOFT_GRAPH_APP_ID, [[graphScopeId('User.Read'), 'Scope']])] : [],
    }, { ownerIds: [owner], now: options.now });
    // Straight in rather than through createServicePrincipal, whose uniqueness scans would make this quadratic.
    if (options.withServicePrincipals !== false) {
      const spId = newGuid();
      state.servicePrincipals[spId] = { data: defaultServicePrincipal(spId, app.data, state.tenant.id), meta: { ownerIds: [owner], secretHashes: {} } };
      // Granted application permissions, written straight in for the same reason (reverse lookups over thousands of apps).
      for (const role of options.graphRoles?.(i) ?? []) {
        const id = assignmentId(spId);
        state.appRoleAssignments[id] = {
          id, deletedDateTime: null, appRoleId: graphRoleId(role), createdDateTime: new Date(options.now).toISOString(), principalDisplayName: name,
          principalId: spId, principalType: 'ServicePrincipal', resourceDisplayName: 'Microsoft Graph', resourceId: SEED.graphServicePrincipalId,
        };
      }
    }
    ids.push(app.data.id as string);
  }
  return ids;
}
