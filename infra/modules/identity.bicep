// Onboard's one identity: the Azure Bot's app id (UserAssignedMSI, so no bot password) and the
// credential for Microsoft Graph, Key Vault and Table Storage.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
