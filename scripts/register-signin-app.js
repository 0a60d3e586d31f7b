#!/usr/bin/env node
'use strict';
// npm run register-signin-app -- --env dev
// Registers the app the one-time link page signs people in with (docs/deploy.md › Sign-in app), signed in as an
// administrator through the Azure CLI (az login), and writes SECRET_LINK_SIGNIN_CLIENT_ID to env/.env.<env>.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');

const dist = join(__dirname, '..', 'dist', 'src');
const { registerSignInApp, RegisterError } = require(join(dist, 'deploy', 'registerSignInApp.js'));
const { readEnvFile } = require(join(dist, 'config.js'));

function option(name) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** Sets one KEY=value line in the env file, keeping every other line as it was. */
function writeSetting(file, key, value) {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const at = lines.findIndex((l) => l.startsWith(`${key}=`));
  if (at >= 0) lines[at] = `${key}=${value}`;
  else lines.splice(lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length, 0, `${key}=${value}`);
  writeFileSync(file, lines.join('\n'));
}

async function main() {
  const env = option('env') ?? 'dev';
  const envFile = join(process.cwd(), 'env', `.env.${env}`);
  const values = existsSync(envFile) ? readEnvFile(envFile) : {};
  const missing = ['BOT_DOMAIN', 'BOT_TENANT_ID', 'MANAGED_IDENTITY_PRINCIPAL_ID'].filter((k) => !values[k]);
  if (missing.length) {
    process.stderr.write(`env/.env.${env} has no ${missing.join(', ')}: run \`atk provision --env ${env}\` first.\n`);
    return 2;
  }
  let accessToken;
  try {
    accessToken = execFileSync('az', ['account', 'get-access-token', '--resource-type', 'ms-graph', '--query', 'accessToken', '-o', 'tsv'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    process.stderr.write('Could not get a Microsoft Graph token from the Azure CLI. Install it and sign in as an Application Administrator who may grant consent: az login --tenant <tenant id>\n');
    return 2;
  }
  try {
    const report = await registerSignInApp({
      graphBaseUrl: option('graph-base-url') ?? 'https://graph.microsoft.com/v1.0', accessToken, environment: env,
      tenantId: values.BOT_TENANT_ID, hostName: values.BOT_DOMAIN, managedIdentityPrincipalId: values.MANAGED_IDENTITY_PRINCIPAL_ID,
    });
    writeSetting(envFile, 'SECRET_LINK_SIGNIN_CLIENT_ID', report.clientId);
    process.stdout.write(`${report.created ? 'created' : 'updated'}  Onboard sign-in (${env}), client id ${report.clientId}\n`);
    process.stdout.write(`redirect URI ${report.redirectUri}; trusts the managed identity ${values.MANAGED_IDENTITY_PRINCIPAL_ID}; openid and profile consented\n`);
    process.stdout.write(`SECRET_LINK_SIGNIN_CLIENT_ID written to env/.env.${env}. Run \`atk provision --env ${env}\` again so the web app gets it.\n`);
    return 0;
  } catch (error) {
    if (error instanceof RegisterError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then((code) => { process.exitCode = code; }, (error) => { process.stderr.write(`register-signin-app failed: ${error.message}\n`); process.exitCode = 1; });
