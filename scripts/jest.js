#!/usr/bin/env node
'use strict';
// Node reads NODE_EXTRA_CA_CERTS only at process start, so the local cloud's test CA must exist
// before jest (and its workers) start. This launcher makes sure of it, then runs jest with the CA trusted.
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const caDir = path.join(root, '.data', 'test', 'ca');
const env = { ...process.env, ONBOARD_TEST_CA_DIR: caDir };
const certificates = path.join(root, 'dist', 'src', 'localcloud', 'certificates.js');
if (fs.existsSync(certificates)) {
  const { caCertPath } = require(certificates).ensureCertificateAuthority(caDir);
  env.NODE_EXTRA_CA_CERTS = caCertPath;
}
const jest = require.resolve('jest/bin/jest');
const child = spawn(process.execPath, [jest, ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
