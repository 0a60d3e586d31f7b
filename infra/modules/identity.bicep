// One of Onboard's two user-assigned identities (docs/deploy.md › Two processes, two identities): the bot's
// (Azure Bot app id, Graph reads, Key Vault reveal) or the worker's (Graph writes, Key Vault set).
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
