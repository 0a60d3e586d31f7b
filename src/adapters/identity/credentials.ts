import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { Config } from '../../config';

export type { TokenCredential };

/**
 * Onboard's own identity for Graph, Key Vault and Storage. Which kind is configuration only.
 * Managed identity is never built in the local profile: its token probe goes to the instance
 * metadata address, outside loopback.
 */
export function createCredential(config: Pick<Config, 'profile' | 'identity'>): TokenCredential {
  const { kind, tenantId, clientId, clientSecret, certificatePath, authorityHost } = config.identity;
  const common = authorityHost ? { authorityHost, disableInstanceDiscovery: true } : {};
  switch (kind) {
    case 'managedIdentity':
      if (config.profile === 'local') throw new Error('ONBOARD_CREDENTIAL=managedIdentity cannot be used in the local profile; use clientSecret with the local cloud');
      return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
    case 'certificate':
      return new ClientCertificateCredential(required(tenantId, 'AZURE_TENANT_ID'), required(clientId, 'AZURE_CLIENT_ID'), { certificatePath: required(certificatePath, 'AZURE_CLIENT_CERTIFICATE_PATH') }, common);
    case 'clientSecret':
      return new ClientSecretCredential(required(tenantId, 'AZURE_TENANT_ID'), required(clientId, 'AZURE_CLIENT_ID'), required(clientSecret, 'AZURE_CLIENT_SECRET'), common);
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * A federated client assertion: Onboard's own identity's token for Entra's token exchange audience. The sign-in app
 * registration trusts it through a federated identity credential (docs/deploy.md), so no secret exists for it in Azure.
 */
export function federatedAssertion(credential: TokenCredential): () => Promise<string> {
  return async () => {
    const token = await credential.getToken('api://AzureADTokenExchange/.default');
    if (!token) throw new Error('no token for api://AzureADTokenExchange from Onboard\'s identity');
    return token.token;
  };
}
