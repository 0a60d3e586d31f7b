import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalCloud } from '../../src/localcloud';
import { projectRoot } from '../../src/paths';
import { startTestCloud } from '../localcloud/helpers';

/**
 * Microsoft's own clients against the local cloud: MSAL Python, azure-identity with azure-keyvault-secrets, and
 * `requests` with an MSAL token for Graph, from Debian's python3-msal and python3-azure (.ci/run installs them).
 * Each script prints one line per operation with the Microsoft documentation it is checked against; every line
 * must match. The figure (operations matching / operations run) goes to .data/test/conformance.json.
 */
const PYTHON = '/usr/bin/python3';
const here = join(projectRoot, 'test', 'conformance');

function blocker(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import msal, requests, azure.identity, azure.keyvault.secrets'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} is missing`;
  if (probe.status !== 0) return `Debian's python3-msal and python3-azure are not installed (${probe.stderr.trim().split('\n').pop()}); .ci/run installs them`;
  return undefined;
}

interface Verdict {
  op: string;
  doc: string;
  ok: boolean;
  detail: string;
}

const reason = blocker();
if (reason) console.warn(`Skipping the conformance tests: ${reason}.`);

(reason ? describe.skip : describe)('conformance with Microsoft\'s own clients', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let environment: NodeJS.ProcessEnv;
  const all: Record<string, Verdict[]> = {};
  beforeAll(async () => {
    // Strong consistency: each script checks one documented answer per request; Onboard's own tolerance of lag is
    // tested with eventual consistency on (the default) elsewhere.
    ({ cloud, stop } = await startTestCloud({ consistency: 'strong' }));
    const outsider = cloud.addClientApp({ displayName: 'Conformance outsider' });
    const admin = cloud.addClientApp({ displayName: 'Conformance admin', graphRoles: ['Application.ReadWrite.All', 'Directory.Read.All'] });
    // The scripts' "Onboard" identity is the one that writes Graph and sets vault secrets: since the bot and the
    // worker were split (issue #16), that is the worker's; the bot holds read roles only.
    const coordinates = { ...cloud.readyLine(), bot: { clientId: cloud.worker.clientId, clientSecret: cloud.worker.clientSecret }, groups: cloud.groups, outsider, admin };
    environment = {
      PATH: process.env.PATH, HOME: process.env.HOME, LOCALCLOUD: JSON.stringify(coordinates), PYTHONPATH: here, PYTHONDONTWRITEBYTECODE: '1',
      // requests (under MSAL and azure-core) trusts the local cloud's CA through this; nothing leaves loopback.
      REQUESTS_CA_BUNDLE: cloud.caCertPath, NO_PROXY: '*', no_proxy: '*',
    };
  });
  afterAll(async () => {
    await stop();
    const verdicts = Object.values(all).flat();
    if (verdicts.length === 0) return;
    mkdirSync(join(projectRoot, '.data', 'test'), { recursive: true });
    writeFileSync(join(projectRoot, '.data', 'test', 'conformance.json'), JSON.stringify({ matching: verdicts.filter((v) => v.ok).length, operations: verdicts.length, scripts: all }, null, 2) + '\n');
  });

  function run(script: string): Promise<Verdict[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(PYTHON, [join(here, script)], { env: environment, cwd: here });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const verdicts = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Verdict);
        if (code !== 0) reject(new Error(`${script} exited ${code}: ${err.slice(-2000)}`));
        else resolve(verdicts);
      });
    });
  }

  it.each([
    ['msal_tokens.py', 'Entra token service through MSAL Python', 10],
    ['keyvault_secrets.py', 'Key Vault secrets through azure-identity and azure-keyvault-secrets', 15],
    ['graph_requests.py', 'Microsoft Graph through requests with an MSAL token', 16],
  ])('%s: %s, every operation as Microsoft documents it', async (script, _what, operations) => {
    const verdicts = await run(script);
    all[script] = verdicts;
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(verdicts).toHaveLength(operations);
    expect(verdicts.every((v) => /^https:\/\/(learn\.microsoft\.com|github\.com\/Azure)\//.test(v.doc))).toBe(true);
    expect(cloud.contracts.violations()).toEqual([]);
  }, 120_000);
});
