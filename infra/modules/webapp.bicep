// Linux App Service running Onboard (dist/) from the deployed zip: the bot, or the worker on the bot's plan.
param name string
param location string
param tags object
param identityId string
param workspaceId string

@description('The plan to run on: empty makes one (the bot); the worker shares the bot\'s.')
param planId string = ''
param sku string = 'B1'

@description('bot: public HTTPS for Teams and the one-time links. worker: every inbound request refused.')
@allowed([ 'bot', 'worker' ])
param role string = 'bot'

@description('App settings as name → value; main.bicep lists them in one place.')
param appSettings object

var isWorker = role == 'worker'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = if (empty(planId)) {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: sku }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: empty(planId) ? plan.id : planId
    httpsOnly: true
    // Key Vault references in app settings resolve with this app's own identity, not another.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      // Node 24 LTS (active until April 2028); Node 20 reached its end in April 2026.
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: isWorker ? 'node -r ./dist/src/adapters/telemetry/preload.js dist/src/main.js worker' : 'node -r ./dist/src/adapters/telemetry/preload.js dist/src/main.js'
      healthCheckPath: isWorker ? null : '/healthz'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // The worker takes no requests: deny by default with no allow rule. Deployment goes through SCM with Entra ID.
      ipSecurityRestrictionsDefaultAction: isWorker ? 'Deny' : 'Allow'
      scmIpSecurityRestrictionsUseMain: false
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
  }
}

// Basic auth off for FTP and for SCM: a publish profile would be a password that runs code as this identity.
// Deploy with Entra ID (az webapp deploy / the Agents Toolkit signed in), docs/deploy.md › Hardening.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

// Onboard's pino JSON logs (secret-free by design) and platform logs go to the Application Insights workspace.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: site
  name: 'onboard-logs'
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output id string = site.id
output hostName string = site.properties.defaultHostName
output planId string = empty(planId) ? plan.id : planId
