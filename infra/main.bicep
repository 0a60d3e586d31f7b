// Onboard in one resource group. Outputs in CAPITALS are written to env/.env.<env> by
// `atk provision` (arm/deploy) and read by m365agents.yml and appPackage/manifest.json.
targetScope = 'resourceGroup'

@description('Short name used in every resource name, e.g. onboard-dev. Letters, digits and hyphens.')
@minLength(3)
@maxLength(20)
param resourceBaseName string

param location string = resourceGroup().location

@description('Object id of the Entra group whose transitive members approve requests.')
param approversGroupId string

@description('Object id of the Entra group whose transitive members may inspect apps (helpdesk). Empty: approvers only.')
param helpdeskGroupId string = ''

@description('App Service plan SKU. B1 is enough for one tenant; use P0v3 or higher for zone redundancy.')
param webAppSku string = 'B1'

@description('Azure Bot SKU: F0 (free, standard channels such as Teams) or S1.')
param botSku string = 'F0'

param botDisplayName string = 'Onboard'

@description('Client id of Onboard\'s sign-in app registration, which the one-time link page signs people in with (npm run register-signin-app writes SECRET_LINK_SIGNIN_CLIENT_ID to env/.env.<env>). Empty until then: the bot refuses to start and says so.')
param signInClientId string = ''

@description('Signs the one-time link pages\' anti-forgery pair. Generated per deployment unless given.')
@secure()
param secretLinkKey string = '${newGuid()}${newGuid()}'

var tags = { application: 'onboard', environment: resourceBaseName }
var compact = toLower(replace(resourceBaseName, '-', ''))
var unique = uniqueString(resourceGroup().id, resourceBaseName)
var webAppName = '${resourceBaseName}-${take(unique, 6)}'
var hostName = '${webAppName}.azurewebsites.net'

// The bot's identity: the Azure Bot's app id, Graph reads, Key Vault reveal. It talks to people, so it never writes to Graph.
module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-${resourceBaseName}', location: location, tags: tags }
}

// The worker's identity: the Graph write roles (granted by grant-bot-permissions) and Key Vault set. No inbound endpoint runs as it.
module workerIdentity 'modules/identity.bicep' = {
  name: 'workerIdentity'
  params: { name: 'id-${resourceBaseName}-worker', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: take('st${compact}${unique}', 24), location: location, tags: tags, principalIds: [ identity.outputs.principalId, workerIdentity.outputs.principalId ] }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('kv${compact}${unique}', 24)
    location: location
    tags: tags
    botPrincipalId: identity.outputs.principalId
    workerPrincipalId: workerIdentity.outputs.principalId
    tenantId: tenant().tenantId
    secretLinkKey: secretLinkKey
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: resourceBaseName, location: location, tags: tags, healthUrl: 'https://${hostName}/healthz' }
}

// Every setting the bot reads in the azure profile (src/config.ts); test/deploy checks the two agree.
var appSettings = {
  ONBOARD_PROFILE: 'azure'
  PUBLIC_URL: 'https://${hostName}'
  LOG_LEVEL: 'info'
  ONBOARD_DATA_DIR: '/tmp/onboard'
  MicrosoftAppId: identity.outputs.clientId
  MicrosoftAppType: 'UserAssignedMSI'
  MicrosoftAppTenantId: tenant().tenantId
  ONBOARD_CREDENTIAL: 'managedIdentity'
  AZURE_CLIENT_ID: identity.outputs.clientId
  AZURE_TENANT_ID: tenant().tenantId
  GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0'
  KEY_VAULT_URL: vault.outputs.vaultUri
  TABLES_ENDPOINT: storage.outputs.tableEndpoint
  TABLES_PREFIX: 'onboard'
  APPROVERS_GROUP_ID: approversGroupId
  HELPDESK_GROUP_ID: helpdeskGroupId
  SECRET_LINK_KEY: vault.outputs.secretLinkKeyReference
  SECRET_LINK_SIGNIN: 'required'
  SECRET_LINK_SIGNIN_CLIENT_ID: signInClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  WEBSITE_RUN_FROM_PACKAGE: '1'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  WEBSITE_HEALTHCHECK_MAXPINGFAILURES: '3'
}

// The worker's settings: the bot's, as its own identity, without the Bot Framework password-less sign-in or the
// link key (it serves no pages). MicrosoftAppId stays: it is an identifier the azure profile checks, not a credential.
var botOnly = [ 'SECRET_LINK_KEY', 'WEBSITE_HEALTHCHECK_MAXPINGFAILURES', 'PUBLIC_URL' ]
var workerSettings = union(toObject(filter(items(appSettings), s => !contains(botOnly, s.key)), s => s.key, s => s.value), {
  AZURE_CLIENT_ID: workerIdentity.outputs.clientId
})

module web 'modules/webapp.bicep' = {
  name: 'webapp'
  params: {
    name: webAppName
    location: location
    tags: tags
    identityId: identity.outputs.id
    sku: webAppSku
    workspaceId: monitoring.outputs.workspaceId
    appSettings: appSettings
    role: 'bot'
  }
}

// The worker on the bot's plan (no extra cost): App Service with every inbound request denied (docs/deploy.md › The worker).
module worker 'modules/webapp.bicep' = {
  name: 'worker'
  params: {
    name: '${webAppName}-worker'
    location: location
    tags: tags
    identityId: workerIdentity.outputs.id
    planId: web.outputs.planId
    workspaceId: monitoring.outputs.workspaceId
    appSettings: workerSettings
    role: 'worker'
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: 'bot-${resourceBaseName}-${take(unique, 6)}'
    displayName: botDisplayName
    sku: botSku
    tags: tags
    messagingEndpoint: 'https://${web.outputs.hostName}/api/messages'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tenantId: tenant().tenantId
  }
}

output BOT_ID string = identity.outputs.clientId
output BOT_DOMAIN string = web.outputs.hostName
output BOT_TENANT_ID string = tenant().tenantId
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = web.outputs.id
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output WORKER_IDENTITY_PRINCIPAL_ID string = workerIdentity.outputs.principalId
output WORKER_AZURE_APP_SERVICE_RESOURCE_ID string = worker.outputs.id
output KEY_VAULT_URL string = vault.outputs.vaultUri
output TABLES_ENDPOINT string = storage.outputs.tableEndpoint
