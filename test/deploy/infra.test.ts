import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { ConfigError, loadConfig, readEnvFile } from '../../src/config';
import { BOT_GRAPH_GRANTS, WORKER_GRAPH_ROLES } from '../../src/domain/identities';

/** Every Graph role either identity is granted. */
const everyGranted = () => [...new Set([...BOT_GRAPH_GRANTS, ...WORKER_GRAPH_ROLES])].sort();
import { appSettings, infraText, modules, outputs, params, placeholders } from './infraFiles';
import { deployedSettings, sampleDeployment } from './infraSettings';

const root = (...parts: string[]) => join(projectRoot, ...parts);

/** Setting names declared in src/config.ts's zod schemas, common and per profile (one `NAME: …` per line). */
function configSettingNames(): Set<string> {
  const text = readFileSync(root('src', 'config.ts'), 'utf8');
  const body = text.slice(text.indexOf('const common = z'), text.indexOf('function dependentProblems'));
  return new Set([...body.matchAll(/^\s+([A-Za-z_][A-Za-z0-9_]*): /gm)].map((m) => m[1]));
}

/** What the azure profile refuses to start without, as config.ts itself reports it. */
function requiredInAzure(): string[] {
  try {
    loadConfig({ ONBOARD_PROFILE: 'azure' }, projectRoot);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.filter((p) => /: required/.test(p)).map((p) => p.split(':')[0]);
    throw error;
  }
  throw new Error('the azure profile started with no settings at all');
}

// Set by App Service or read by the platform, not by Onboard.
const PLATFORM = /^(WEBSITE_|SCM_|APPLICATIONINSIGHTS_|ApplicationInsightsAgent_)/;

describe('infra/ and src/config.ts agree', () => {
  const settings = appSettings();

  it('sets every setting the azure profile requires', () => {
    const required = requiredInAzure();
    expect(required).toEqual(expect.arrayContaining(['MicrosoftAppId', 'TABLES_ENDPOINT', 'KEY_VAULT_URL', 'AZURE_CLIENT_ID', 'APPROVERS_GROUP_ID']));
    expect(required.filter((name) => !settings.has(name))).toEqual([]);
  });

  it('sets only settings Onboard or App Service knows (a typo would be silently ignored)', () => {
    const known = configSettingNames();
    expect(known.size).toBeGreaterThan(20);
    expect([...settings.keys()].filter((name) => !known.has(name) && !PLATFORM.test(name))).toEqual([]);
  });

  it('gives a configuration the azure profile accepts: managed identity for the bot and for Graph, Key Vault and Storage', () => {
    const config = loadConfig(deployedSettings(), projectRoot);
    expect(config.profile).toBe('azure');
    expect(config.bot).toMatchObject({ appId: sampleDeployment.identityClientId, appType: 'UserAssignedMSI', tenantId: sampleDeployment.tenantId });
    expect(config.bot.password).toBeUndefined();
    expect(config.identity).toMatchObject({ kind: 'managedIdentity', clientId: sampleDeployment.identityClientId });
    expect(config.http).toMatchObject({ host: '0.0.0.0', publicUrl: `https://${sampleDeployment.hostName}` });
    expect(config.tables).toMatchObject({ endpoint: sampleDeployment.tableEndpoint, connectionString: undefined });
    expect(config.vault.url).toBe(sampleDeployment.vaultUri);
    expect(config.graph.baseUrl).toBe('https://graph.microsoft.com/v1.0');
    expect(config.groups).toEqual({ approvers: sampleDeployment.approversGroupId, helpdesk: sampleDeployment.helpdeskGroupId });
  });

  it('keeps secrets out of plain app settings: the only secret-like setting is a Key Vault reference', () => {
    const deployed = deployedSettings();
    for (const name of ['MicrosoftAppPassword', 'AZURE_CLIENT_SECRET', 'TABLES_CONNECTION_STRING', 'AZURE_CLIENT_CERTIFICATE_PATH']) expect(settings.has(name)).toBe(false);
    expect(deployed.SECRET_LINK_KEY).toMatch(/^@Microsoft\.KeyVault\(/);
  });
});

describe('infra/ holds together without a Bicep compiler', () => {
  it('passes every module the parameters it requires, and only parameters it declares', () => {
    for (const use of modules('main.bicep')) {
      const file = join('infra', use.path);
      expect({ file, exists: existsSync(root(file)) }).toEqual({ file, exists: true });
      const declared = params(use.path);
      const required = declared.filter((p) => !p.hasDefault).map((p) => p.name);
      expect({ module: use.symbol, missing: required.filter((p) => !use.params.includes(p)), unknown: use.params.filter((p) => !declared.some((d) => d.name === p)) })
        .toEqual({ module: use.symbol, missing: [], unknown: [] });
    }
  });

  it('reads only outputs the modules declare', () => {
    const text = infraText('main.bicep');
    const declared = new Map(modules('main.bicep').map((m) => [m.symbol, outputs(m.path)]));
    for (const [, symbol, output] of text.matchAll(/\b(\w+)\.outputs\.(\w+)/g)) {
      expect({ reference: `${symbol}.outputs.${output}`, declared: declared.get(symbol)?.includes(output) ?? false }).toEqual({ reference: `${symbol}.outputs.${output}`, declared: true });
    }
  });

  it('fills every main.bicep parameter without a default from azure.parameters.json, and nothing else', () => {
    const file = JSON.parse(infraText('azure.parameters.json')).parameters as Record<string, unknown>;
    const declared = params('main.bicep');
    expect(declared.filter((p) => !p.hasDefault && !(p.name in file)).map((p) => p.name)).toEqual([]);
    expect(Object.keys(file).filter((name) => !declared.some((p) => p.name === name))).toEqual([]);
  });
});

describe('m365agents.yml, the manifest and the env file line up with infra/', () => {
  const lifecycle = readFileSync(root('m365agents.yml'), 'utf8');
  const sample = readEnvFile(root('env', '.env.dev.sample'));
  const written = new Set([
    ...outputs('main.bicep'),
    ...[...lifecycle.matchAll(/^\s+\w+: ([A-Z][A-Z0-9_]+)$/gm)].filter((m) => /writeToEnvironmentFile/.test(lifecycle.slice(Math.max(0, m.index! - 120), m.index!))).map((m) => m[1]),
  ]);
  const builtIn = new Set(['TEAMSFX_ENV']);

  it('uses only variables that provisioning writes, the Toolkit defines, or the sample env sets', () => {
    expect(written.has('TEAMS_APP_ID')).toBe(true);
    const sources = [lifecycle, infraText('azure.parameters.json'), readFileSync(root('appPackage', 'manifest.json'), 'utf8')];
    const unknown = sources.flatMap(placeholders).filter((name) => !written.has(name) && !builtIn.has(name) && !(name in sample));
    expect(unknown).toEqual([]);
  });

  it('deploys to the web app that main.bicep outputs, and fills the manifest from its outputs', () => {
    expect(lifecycle).toContain('resourceId: ${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
    expect(outputs('main.bicep')).toEqual(expect.arrayContaining(['BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_ID', 'BOT_DOMAIN', 'MANAGED_IDENTITY_PRINCIPAL_ID']));
    expect(lifecycle).toContain('path: ./infra/main.bicep');
    expect(lifecycle).toContain('parameters: ./infra/azure.parameters.json');
    for (const stage of ['provision:', 'deploy:', 'publish:']) expect(lifecycle).toMatch(new RegExp(`^${stage}`, 'm'));
  });

  it('points only at files that exist', () => {
    const paths = [...lifecycle.matchAll(/(?:path|parameters|manifestPath|ignoreFile): (\.\/[^\s$]+)$/gm)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThanOrEqual(4);
    expect(paths.filter((p) => !existsSync(root(p)))).toEqual([]);
  });

  it('documents every output in the sample env file', () => {
    expect(outputs('main.bicep').filter((name) => !(name in sample))).toEqual([]);
  });
});

describe('the security settings a reviewer looks for', () => {
  const strip = (text: string) => text.replace(/\/\/.*$/gm, '');

  it('Key Vault: RBAC, soft delete on, purge protection never enabled; the identity is Secrets Officer', () => {
    const vault = strip(infraText('modules/keyvault.bicep'));
    expect(vault).toMatch(/enableRbacAuthorization: true/);
    expect(vault).toMatch(/enableSoftDelete: true/);
    expect(vault).not.toMatch(/enablePurgeProtection/);
    expect(vault).toContain("'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'");
  });

  it('Storage: no shared keys, TLS 1.2, HTTPS only; the identity is Storage Table Data Contributor', () => {
    const storage = strip(infraText('modules/storage.bicep'));
    expect(storage).toMatch(/allowSharedKeyAccess: false/);
    expect(storage).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    expect(storage).toMatch(/supportsHttpsTrafficOnly: true/);
    expect(storage).toContain("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
  });

  it('Web app: Linux on Node 24 LTS, HTTPS only, health check on /healthz, run from package, Onboard\'s identity only', () => {
    const web = strip(infraText('modules/webapp.bicep'));
    const node = /linuxFxVersion: 'NODE\|(\d+)-lts'/.exec(web);
    expect(Number(node?.[1])).toBe(24);
    expect(JSON.parse(readFileSync(root('package.json'), 'utf8')).engines.node).toContain('^24');
    expect(web).toMatch(/httpsOnly: true/);
    expect(web).toMatch(/healthCheckPath: [^\n]*'\/healthz'/);
    expect(web).toMatch(/type: 'UserAssigned'/);
    expect(deployedSettings().WEBSITE_RUN_FROM_PACKAGE).toBe('1');
  });

  it('Web apps: TLS 1.2 or later, FTP and SCM basic auth off (a publish profile would be a password that runs code as the identity)', () => {
    const web = strip(infraText('modules/webapp.bicep'));
    expect(web).toMatch(/minTlsVersion: '1\.2'/);
    expect(web).toMatch(/scmMinTlsVersion: '1\.2'/);
    expect(web).toMatch(/ftpsState: 'Disabled'/);
    for (const kind of ['ftp', 'scm']) expect(web).toMatch(new RegExp(`basicPublishingCredentialsPolicies@[\\d-]+' = \\{\\s+parent: site\\s+name: '${kind}'\\s+properties: \\{ allow: false \\}`));
  });

  it('two user-assigned identities: the bot (Azure Bot, Graph reads, Key Vault reveal) and the worker (Key Vault Secrets Officer), sharing only the tables', () => {
    const main = strip(infraText('main.bicep'));
    const identities = modules('main.bicep').filter((m) => m.path === 'modules/identity.bicep').map((m) => m.symbol).sort();
    expect(identities).toEqual(['identity', 'workerIdentity']);
    expect(main).toMatch(/msaAppId|identityClientId: identity\.outputs\.clientId/);
    expect(main).toMatch(/principalIds: \[ identity\.outputs\.principalId, workerIdentity\.outputs\.principalId \]/);
    const vault = strip(infraText('modules/keyvault.bicep'));
    // Secrets Officer (set) goes to the worker only; the bot's custom role has no setSecret.
    expect(vault).toMatch(/name: guid\(vault\.id, workerPrincipalId, secretsOfficer\)\s+properties: \{\s+principalId: workerPrincipalId/);
    const handover = vault.slice(vault.indexOf("resource handoverRole"), vault.indexOf('resource revealAccess'));
    expect(handover).toContain('secrets/getSecret/action');
    expect(handover).toContain('secrets/purge/action');
    expect(handover).not.toMatch(/setSecret|\*/);
    expect(vault).toMatch(/principalId: botPrincipalId\s+principalType: 'ServicePrincipal'\s+roleDefinitionId: handoverRole\.id/);
    // The bot's app settings name the bot's identity; the worker's replace it with the worker's.
    expect(appSettings().get('AZURE_CLIENT_ID')).toBe('identity.outputs.clientId');
    expect(main).toMatch(/var workerSettings = union\([\s\S]*AZURE_CLIENT_ID: workerIdentity\.outputs\.clientId/);
  });

  it('the worker: its own identity on the bot\'s plan, started as `main.js worker`, every inbound request denied, no public health check', () => {
    const worker = modules('main.bicep').find((m) => m.symbol === 'worker');
    expect(worker?.path).toBe('modules/webapp.bicep');
    const main = strip(infraText('main.bicep'));
    const block = main.slice(main.indexOf("module worker 'modules/webapp.bicep'"));
    expect(block).toMatch(/identityId: workerIdentity\.outputs\.id/);
    expect(block).toMatch(/role: 'worker'/);
    const web = strip(infraText('modules/webapp.bicep'));
    expect(web).toMatch(/ipSecurityRestrictionsDefaultAction: isWorker \? 'Deny' : 'Allow'/);
    expect(web).toMatch(/appCommandLine: isWorker \? '[^']*dist\/src\/main\.js worker'/);
    expect(web).toMatch(/healthCheckPath: isWorker \? null : '\/healthz'/);
    expect(web).not.toMatch(/ipSecurityRestrictions: \[/);
  });

  it('Azure Bot: single tenant as the managed identity, with the Teams channel and the /api/messages endpoint', () => {
    const bot = strip(infraText('modules/bot.bicep'));
    expect(bot).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bot).toMatch(/msaAppMSIResourceId: identityId/);
    expect(bot).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(infraText('main.bicep')).toMatch(/messagingEndpoint: 'https:\/\/\$\{web\.outputs\.hostName\}\/api\/messages'/);
  });

  it('docs/deploy.md lists exactly the Graph roles Onboard checks for at start-up, and the script grants', () => {
    const guide = readFileSync(root('docs', 'deploy.md'), 'utf8');
    const section = guide.slice(guide.indexOf('### 5. Grant'), guide.indexOf('### 6.'));
    const listed = [...section.matchAll(/^\| `([A-Za-z.]+)` \|/gm)].map((m) => m[1]);
    expect([...new Set(listed)].sort()).toEqual(everyGranted());
  });

  it('README › Permissions lists the same Graph roles', () => {
    const readme = readFileSync(root('README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Permissions'), readme.indexOf('## Deployment'));
    const listed = [...section.matchAll(/^\| `([A-Za-z.]+)` \|/gm)].map((m) => m[1]);
    expect([...new Set(listed)].sort()).toEqual(everyGranted());
  });
});
