/**
 * A saga runner in its own process, for the crash and two-instance tests: the production adapters (Graph
 * through the local cloud, Tables through Azurite) around ProvisionRegistration, told what to do by the
 * ONBOARD_PROVISIONING_RUNNER variable (JSON, RunnerConfig). `dieAt` makes it SIGKILL itself at a step
 * boundary: `after:<step>` once that step is recorded, `call:<method>` once that Directory call has
 * returned but before anything is recorded, `vault` once the secret is in the vault but not recorded.
 * It prints one JSON line per event on stdout. Compiled to dist/ and started with `node`.
 */
import { writeSync } from 'node:fs';
import { ProvisioningSweeper } from '../../src/app/provisioningSweeper';
import { systemClock } from '../../src/app/ports';
import type { Directory } from '../../src/app/directoryPort';
import type { SecretVault } from '../../src/app/secretVaultPort';
import type { ProvisioningStep, RegistrationRequest } from '../../src/domain/request';
import { provisioningStack, type SagaEndpoints } from './provisioningStack';
import { InMemorySecretVault } from './provisioningVault';

export interface RunnerConfig {
  endpoints: SagaEndpoints;
  owner: string;
  leaseMs: number;
  vaultFile: string;
  requesterAsOwner?: boolean;
  dieAt?: string;
  mode: { kind: 'once'; requestId: string } | { kind: 'resume'; requestId: string } | { kind: 'sweep'; requestIds: string[] };
  timeoutMs?: number;
}

export const RUNNER_ENV = 'ONBOARD_PROVISIONING_RUNNER';

// Written synchronously so the line is in the pipe before the process kills itself.
const say = (event: Record<string, unknown>) => writeSync(1, `${JSON.stringify(event)}\n`);
const die = (where: string) => {
  say({ event: 'dying', where });
  process.kill(process.pid, 'SIGKILL');
};

function dyingDirectory(directory: Directory, dieAt: string | undefined): Directory {
  return new Proxy(directory, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (name === 'grant') say({ event: 'grant-sent' });
        const result = await value.apply(target, args);
        if (dieAt === `call:${String(name)}`) die(dieAt);
        return result;
      };
    },
  });
}

function dyingVault(vault: SecretVault, dieAt: string | undefined): SecretVault {
  return {
    put: async (name, value, options) => {
      await vault.put(name, value, options);
      if (dieAt === 'vault') die(dieAt);
    },
    read: (name) => vault.read(name),
    destroy: (name) => vault.destroy(name),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const config = JSON.parse(process.env[RUNNER_ENV] ?? '{}') as RunnerConfig;
  const step = config.dieAt?.startsWith('after:') ? (config.dieAt.slice('after:'.length) as ProvisioningStep) : undefined;
  const vault = dyingVault(new InMemorySecretVault(config.vaultFile), config.dieAt);
  const stack = provisioningStack(config.endpoints, {
    vault,
    decorate: (directory) => dyingDirectory(directory, config.dieAt),
    settings: { owner: config.owner, leaseMs: config.leaseMs, requesterAsOwner: config.requesterAsOwner ?? false },
    progress: {
      stepDone: async (request: RegistrationRequest) => {
        if (step && request.provisioning?.steps[step]) die(config.dieAt!);
      },
      finished: async (request) => void say({ event: 'finished', requestId: request.id }),
      failed: async (request) => void say({ event: 'failed', requestId: request.id, message: request.failure?.message }),
    },
  });
  const deadline = Date.now() + (config.timeoutMs ?? 60_000);
  say({ event: 'started', pid: process.pid });
  const mode = config.mode;
  if (mode.kind === 'once') {
    say({ event: 'outcome', outcome: (await stack.provision.execute({ requestId: mode.requestId })).kind });
  } else if (mode.kind === 'resume') {
    for (;;) {
      const outcome = await stack.provision.execute({ requestId: mode.requestId });
      if (outcome.kind === 'provisioned' || outcome.kind === 'failed' || Date.now() > deadline) {
        say({ event: 'outcome', outcome: outcome.kind });
        break;
      }
      await sleep(150);
    }
  } else {
    const sweeper = new ProvisioningSweeper({ requests: stack.requests, provision: stack.provision, clock: systemClock, concurrency: 4 });
    for (;;) {
      await sweeper.runOnce();
      const states = await Promise.all(mode.requestIds.map(async (id) => (await stack.requests.get(id))?.value.state));
      if (states.every((s) => s === 'Provisioned' || s === 'Failed') || Date.now() > deadline) break;
      await sleep(100);
    }
  }
  say({ event: 'exit' });
}

if (require.main === module) {
  main().then(() => process.exit(0), (error) => {
    say({ event: 'error', message: (error as Error).message });
    process.exit(1);
  });
}
