#!/usr/bin/env node
'use strict';
// npm run grant-bot-permissions -- --env dev
// Grants Onboard's managed identity its Microsoft Graph app roles, signed in as an administrator
// through the Azure CLI (az login). docs/deploy.md › Graph permissions says why this is a separate step.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');
const { existsSync } = require('node:fs');

const dist = join(__dirname, '..', 'dist', 'src');
const { grantGraphRoles, GrantError } = require(join(dist, 'deploy', 'grantGraphRoles.js'));
const { readEnvFile } = require(join(dist, 'config.js'));
const { BOT_GRAPH_GRANTS, WORKER_GRAPH_ROLES } = require(join(dist, 'domain', 'identities.js'));

function option(name) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

async function main() {
  const env = option('env') ?? 'dev';
  const envFile = join(process.cwd(), 'env', `.env.${env}`);
  const values = existsSync(envFile) ? readEnvFile(envFile) : {};
  // Two identities (docs/deploy.md › Two processes, two identities): the bot reads, the worker also writes.
  const identities = [
    { name: 'the bot', principalId: option('principal-id') ?? values.MANAGED_IDENTITY_PRINCIPAL_ID, roles: BOT_GRAPH_GRANTS, variable: 'MANAGED_IDENTITY_PRINCIPAL_ID' },
    { name: 'the worker', principalId: option('worker-principal-id') ?? values.WORKER_IDENTITY_PRINCIPAL_ID, roles: WORKER_GRAPH_ROLES, variable: 'WORKER_IDENTITY_PRINCIPAL_ID' },
  ];
  const missing = identities.filter((i) => !i.principalId);
  if (missing.length) {
    process.stderr.write(`No principal id for ${missing.map((i) => i.name).join(' or ')}: run \`atk provision --env ${env}\` first (it writes ${missing.map((i) => i.variable).join(' and ')} to env/.env.${env}), or pass --principal-id / --worker-principal-id <object id>.\n`);
    return 2;
  }
  const graphBaseUrl = option('graph-base-url') ?? 'https://graph.microsoft.com/v1.0';
  let accessToken;
  try {
    accessToken = execFileSync('az', ['account', 'get-access-token', '--resource-type', 'ms-graph', '--query', 'accessToken', '-o', 'tsv'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    process.stderr.write('Could not get a Microsoft Graph token from the Azure CLI. Install it and sign in as a Privileged Role Administrator: az login --tenant <tenant id>\n');
    return 2;
  }
  try {
    for (const identity of identities) {
      const report = await grantGraphRoles({ graphBaseUrl, accessToken, principalId: identity.principalId, roles: [...identity.roles] });
      for (const role of report.granted) process.stdout.write(`granted        ${role} to ${identity.name}\n`);
      for (const role of report.alreadyHeld) process.stdout.write(`already held   ${role} by ${identity.name}\n`);
      process.stdout.write(`${report.principal} (${identity.name}) holds every Graph role it needs, and no write role it should not.\n`);
    }
    process.stdout.write('Restart both web apps so they take fresh tokens.\n');
    return 0;
  } catch (error) {
    if (error instanceof GrantError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then((code) => { process.exitCode = code; }, (error) => { process.stderr.write(`grant-bot-permissions failed: ${error.message}\n`); process.exitCode = 1; });
