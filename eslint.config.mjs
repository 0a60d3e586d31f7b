// Keeps each SDK inside the adapter folder named after it (see ARCHITECTURE.md › Layers).
import tseslint from 'typescript-eslint';

const sdk = {
  teams: ['botbuilder', 'botbuilder-*', 'botbuilder/*', 'botframework-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*'],
  restify: ['restify', 'restify/*'],
  tables: ['@azure/data-tables'],
  graph: ['@microsoft/microsoft-graph-client', '@microsoft/microsoft-graph-client/*'],
  keyvault: ['@azure/keyvault-secrets'],
  identity: ['@azure/identity', '@azure/msal-node'],
};
const allSdk = Object.values(sdk).flat().concat(['@azure/core-*', '@azure/arm-*', '@azure/storage-*', '@azure/monitor-*']);
const io = ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'http', 'https', 'node:http', 'node:https', 'net', 'node:net',
  'child_process', 'node:child_process', 'dgram', 'node:dgram', 'dns', 'node:dns', 'tls', 'node:tls', 'pino', 'os', 'node:os'];

const restrict = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups.flat(), message: 'This import belongs in its adapter folder (ARCHITECTURE.md › Rules).' }] }],
});
const except = (...allowed) => allSdk.filter((p) => !allowed.flat().includes(p));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'appPackage/build/**', 'test-artifacts/**', 'test/support/*.js', 'bin/**', 'scripts/**', '*.config.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['src/**/*.ts'], rules: restrict(except()) },
  { files: ['src/teams/**/*.ts'], rules: restrict(except(sdk.teams)) },
  { files: ['src/http/**/*.ts'], rules: restrict(except(sdk.restify)) },
  { files: ['src/adapters/tables/**/*.ts'], rules: restrict(except(sdk.tables, sdk.identity)) },
  { files: ['src/adapters/graph/**/*.ts'], rules: restrict(except(sdk.graph, sdk.identity)) },
  { files: ['src/adapters/keyvault/**/*.ts'], rules: restrict(except(sdk.keyvault, sdk.identity)) },
  { files: ['src/adapters/identity/**/*.ts'], rules: restrict(except(sdk.identity)) },
  // The domain is pure: no SDK, no I/O, nothing from the outer layers. Hashing (node:crypto) is computation, so it stays allowed.
  { files: ['src/domain/**/*.ts'], rules: restrict(allSdk, io, ['**/app/**', '**/adapters/**', '**/teams/**', '**/http/**', '**/cli/**', '**/localcloud/**', '**/config']) },
);
