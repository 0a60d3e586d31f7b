// The vault that holds each client secret until its one-time link is opened.
// Purge protection stays OFF on purpose: a revealed secret is deleted AND purged, so that no
// recoverable copy outlives the handover. With purge protection on, deleted secrets stay
// recoverable for the whole retention period (docs/deploy.md › Purge protection).
param name string
param location string
param tags object
param botPrincipalId string
param workerPrincipalId string
param tenantId string

@description('Secret used to sign the anti-forgery pair of the one-time link pages (SECRET_LINK_KEY).')
@secure()
param secretLinkKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // enablePurgeProtection is left unset: Azure refuses an explicit false, and once true it can never be turned off.
    publicNetworkAccess: 'Enabled'
  }
}

// The worker: Key Vault Secrets Officer (set the handover secret; delete and purge for the sweepers); nothing on keys,
// certificates or access policy.
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource secretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, workerPrincipalId, secretsOfficer)
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
  }
}

// The bot: read a handover secret once, then delete and purge it; it can never set one. No built-in role is that
// narrow, so a custom role, assignable in this resource group only.
resource handoverRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'onboard-secret-handover')
  properties: {
    roleName: 'Onboard Secret Handover (${vault.name})'
    description: 'Reveal a one-time handover secret: get, then delete and purge. No set.'
    type: 'CustomRole'
    assignableScopes: [ resourceGroup().id ]
    permissions: [
      {
        actions: []
        dataActions: [
          'Microsoft.KeyVault/vaults/secrets/getSecret/action'
          'Microsoft.KeyVault/vaults/secrets/readMetadata/action'
          'Microsoft.KeyVault/vaults/secrets/delete'
          'Microsoft.KeyVault/vaults/secrets/purge/action'
        ]
      }
    ]
  }
}

resource revealAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, botPrincipalId, 'onboard-secret-handover')
  properties: {
    principalId: botPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: handoverRole.id
  }
}

resource linkKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'onboard-secret-link-key'
  properties: {
    value: secretLinkKey
    contentType: 'Onboard setting SECRET_LINK_KEY'
  }
}

output vaultUri string = vault.properties.vaultUri
output secretLinkKeyReference string = '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${linkKey.name})'
