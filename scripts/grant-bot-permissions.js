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

function option(name) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

async function main() {
  const env = option('env') ?? 'dev';
  const envFile = join(process.cwd(), 'env', `.env.${env}`);
  const values = existsSync(envFile) ? readEnvFile(envFile) : {};
  const principalId = option('principal-id') ?? values.MANAGED_IDENTITY_PRINCIPAL_ID;
  if (!principalId) {
    process.stderr.write(`No principal id: run \`atk provision --env ${env}\` first (it writes MANAGED_IDENTITY_PRINCIPAL_ID to env/.env.${env}), or pass --principal-id <object id>.\n`);
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
    const report = await grantGraphRoles({ graphBaseUrl, accessToken, principalId });
    for (const role of report.granted) process.stdout.write(`granted        ${role}\n`);
    for (const role of report.alreadyHeld) process.stdout.write(`already held   ${role}\n`);
    process.stdout.write(`${report.principal} holds every Graph role Onboard needs. Restart the web app so it takes a fresh token.\n`);
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
