import { appSettings } from './infraFiles';

/** What the Bicep expressions in main.bicep's app settings evaluate to, for a sample deployment. */
export interface DeploymentValues {
  identityClientId: string;
  tenantId: string;
  hostName: string;
  vaultUri: string;
  tableEndpoint: string;
  approversGroupId: string;
  helpdeskGroupId: string;
  secretLinkKeyReference: string;
  insightsConnectionString: string;
  signInClientId: string;
}

export const sampleDeployment: DeploymentValues = {
  identityClientId: '7c1e4b2a-5d3f-4a8e-b6c9-0e2d1f3a5b47',
  tenantId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  hostName: 'onboard-dev-abc123.azurewebsites.net',
  vaultUri: 'https://kvonboarddevabc123.vault.azure.net/',
  tableEndpoint: 'https://stonboarddevabc123.table.core.windows.net/',
  approversGroupId: '2b9e7f41-3c6d-4e8a-9f0b-5a1c2d3e4f60',
  helpdeskGroupId: '4d0a8c62-1e7b-4f9c-8a3d-6b2e5f7a9c81',
  secretLinkKeyReference: '@Microsoft.KeyVault(VaultName=kvonboarddevabc123;SecretName=onboard-secret-link-key)',
  signInClientId: '3e5f7a9b-1c2d-4e6f-8a0b-2c4d6e8f0a1b',
  insightsConnectionString: 'InstrumentationKey=5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
};

/** Every expression main.bicep may use in an app setting; anything else fails the test, naming it. */
function expressions(v: DeploymentValues): Record<string, string> {
  return {
    'identity.outputs.clientId': v.identityClientId,
    'tenant().tenantId': v.tenantId,
    hostName: v.hostName,
    'vault.outputs.vaultUri': v.vaultUri,
    'storage.outputs.tableEndpoint': v.tableEndpoint,
    approversGroupId: v.approversGroupId,
    helpdeskGroupId: v.helpdeskGroupId,
    'vault.outputs.secretLinkKeyReference': v.secretLinkKeyReference,
    'monitoring.outputs.connectionString': v.insightsConnectionString,
    signInClientId: v.signInClientId,
  };
}

function evaluate(expression: string, known: Record<string, string>, setting: string): string {
  const lookup = (e: string) => {
    if (!(e in known)) throw new Error(`infra/main.bicep app setting ${setting} uses \`${e}\`, which test/deploy/infraSettings.ts does not know`);
    return known[e];
  };
  const literal = /^'(.*)'$/s.exec(expression);
  if (!literal) return lookup(expression);
  return literal[1].replace(/\$\{([^}]+)\}/g, (_, inner: string) => lookup(inner.trim()));
}

/** The app settings the web app gets, as environment variables, for the given deployment values. */
export function deployedSettings(values: DeploymentValues = sampleDeployment): Record<string, string> {
  const known = expressions(values);
  return Object.fromEntries([...appSettings()].map(([name, expression]) => [name, evaluate(expression, known, name)]));
}
