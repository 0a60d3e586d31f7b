// The vault that holds each client secret until its one-time link is opened.
// Purge protection stays OFF on purpose: a revealed secret is deleted AND purged, so that no
// recoverable copy outlives the handover. With purge protection on, deleted secrets stay
// recoverable for the whole retention period (docs/deploy.md › Purge protection).
param name string
param location string
param tags object
param principalId string
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

// Key Vault Secrets Officer: set, get, delete and purge secrets; nothing on keys, certificates or access policy.
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource secretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, secretsOfficer)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
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
