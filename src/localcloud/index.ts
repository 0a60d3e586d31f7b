/**
 * The local cloud: a stand-in for the Entra token endpoint, a Microsoft Graph v1.0 subset and Key Vault
 * secrets, over HTTPS on 127.0.0.1, which the real Azure SDKs talk to unchanged (docs/localcloud.md).
 *
 *   const cloud = await startLocalCloud({ dataDir, contracts: 'enforce' });   // port 0 = any free port
 *   const credential = new ClientSecretCredential(cloud.tenantId, cloud.bot.clientId, cloud.bot.clientSecret,
 *     { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true });
 *   const graph = Client.initWithMiddleware({ authProvider: new TokenCredentialAuthenticationProvider(credential,
 *     { scopes: ['https://graph.microsoft.com/.default'] }), baseUrl: cloud.graphBaseUrl, defaultVersion: '',
 *     customHosts: new Set(['localhost']) });
 *   const vault = new SecretClient(cloud.vaultUrl, credential, { disableChallengeResourceVerification: true });
 *   …
 *   expect(cloud.contracts.violations()).toEqual([]);
 *   await cloud.close();
 *
 * startLocalCloud(options) → Promise<LocalCloud>
 *   port?       0 (default) picks a free port; a port in use rejects with code EADDRINUSE.
 *   dataDir     state.json (the tenant), the token-signing key and the bot's secret live here; state survives
 *               a restart on the same dataDir.
 *   caDir?      where the dev CA and the server certificate live: default ONBOARD_TEST_CA_DIR (set by
 *               scripts/jest.js, so tests share the CA Node was told to trust), else `${dataDir}/ca`.
 *   reset?      start from the seed tenant, discarding the saved state.
 *   contracts?  'enforce' checks every Graph/Key Vault request and response body against Microsoft's
 *               descriptions and records violations (a bad response becomes a 500); default 'enforce' under
 *               jest, 'off' otherwise. Request bodies Graph would reject are rejected in both modes.
 *   faults?     fault rules (see faults.ts); env?: also read the ONBOARD_LOCALCLOUD_* fault variables from this
 *               environment (default process.env; pass {} to ignore the environment).
 *   consistency? 'eventual' (default: a seeded 20% of new apps and service principals lag up to 1.5 s) or
 *               'strong', for a test that asserts one request's answer (say why); seed? changes the choices.
 *   purgeDelayMs? how long a Key Vault purge keeps the name busy (409 ObjectIsBeingDeleted); default 2,000.
 *
 * LocalCloud
 *   url / authorityHost / vaultUrl   https://localhost:<port>;  graphBaseUrl  https://localhost:<port>/v1.0
 *   tenantId, tenantName, caCertPath, port, bot {clientId, clientSecret, appObjectId, servicePrincipalId} (reads only),
 *   worker {…} (the Graph write roles and Key Vault Secrets Officer); requestsBy(clientId) → [{method, path}]
 *   users [{name,id,userPrincipalName,roles}], groups {approvers, helpdesk}
 *   faults {set(rules), add(rules), clear(), counts(), list()}       contracts {violations(), clear()}
 *   consistency {set('eventual' | 'strong'), counts()}   how many objects lagged and how many requests failed on them
 *   state  read-only snapshots: applications, servicePrincipals, appRoleAssignments, oauth2PermissionGrants,
 *          users, groups, vault {secrets, deleted}; ownersOf(appObjectId)
 *   grantBotRole(name) / revokeBotRole(name), grantWorkerRole / revokeWorkerRole   a Graph app role (e.g. 'AppRoleAssignment.ReadWrite.All') or a
 *          vault role ('Key Vault Secrets Officer' | 'Key Vault Secrets User'); affects tokens issued afterwards.
 *   addClientApp({displayName, graphRoles?, vaultRole?}) → credentials of another calling app.
 *   seedApps(count, {prefix?, withServicePrincipals?}) → object ids; fast (no HTTP), for large tenants.
 *   signIn {registerRedirectUri(appId, uri), tamperNextIdToken({claims?, foreignKey?})}   interactive sign-in (signin.ts):
 *          a web redirect URI on an app; for attack tests, spoil the next ID token the token endpoint issues.
 *   readyLine()  the JSON `onboard localcloud` prints.   botEnvironment() / workerEnvironment()  env vars that point
 *          the bot / the worker here.
 *   reset()  back to the seed tenant.   close()  stop listening and save the state.
 */
export { startLocalCloud, defaultCaDir, type LocalCloud, type LocalCloudUser, type StartLocalCloudOptions, type ReadyLine, type LocalCloudState } from './localCloud';
export { ensureCertificateAuthority, createSelfSignedCertificate } from './certificates';
export { ensureBotCredentials, ensureWorkerCredentials } from './core';
export { FAULT_ENV, type FaultRule, type FaultCounts } from './faults';
export type { ContractViolation } from './contracts/contracts';
export { SEED, SEED_USERS, BOT_GRAPH_ROLES, WORKER_GRAPH_ROLES, HANDOVER_VAULT_ROLE } from './seedIds';
