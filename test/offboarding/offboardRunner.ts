/**
 * Offboarding's worker steps in their own process, for the crash test: the production adapters (Graph through the
 * local cloud as the worker, Tables through Azurite) around RunOffboarding. `dieAt` makes it SIGKILL itself at a step
 * boundary: `after:<step>` once that step is recorded, `told:<event>` once it is announced but before that is
 * recorded, `call:<method>` once that OffboardDirectory call returned but before anything is recorded. The clock runs
 * `offsetMs` ahead of real time, so removal can be due. One JSON line per event on stdout; compiled to dist/.
 */
import { writeSync } from 'node:fs';
import { createCredential } from '../../src/adapters/identity/credentials';
import { createGraphClient } from '../../src/adapters/graph/graphClient';
import { GraphMembership } from '../../src/adapters/graph/graphMembership';
import { GraphOffboarding } from '../../src/adapters/graph/graphOffboarding';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import type { OffboardDirectory } from '../../src/app/offboarding/offboardDirectory';
import { RunOffboarding } from '../../src/app/offboarding/runOffboarding';
import { PreWriteGuard } from '../../src/app/provisioning/preWriteGuard';
import { ProposeRegrant } from '../../src/app/offboarding/proposeRegrant';
import { InspectApp } from '../../src/app/helpdesk/inspectApp';
import { GraphInventory } from '../../src/adapters/graph/graphInventory';
import { SEED } from '../../src/localcloud/seedIds';
import { testApprovalSigner, testPolicy, type SagaEndpoints } from '../support/provisioningStack';

export interface OffboardRunnerConfig {
  endpoints: SagaEndpoints;
  owner: string;
  leaseMs: number;
  offsetMs: number;
  requestId: string;
  mode: 'once' | 'resume';
  /** In resume mode: the state to reach (its announcement recorded too). */
  until?: 'Disabled' | 'Offboarded' | 'Restored';
  dieAt?: string;
  timeoutMs?: number;
}

export const OFFBOARD_RUNNER_ENV = 'ONBOARD_OFFBOARD_RUNNER';

const say = (event: Record<string, unknown>) => writeSync(1, `${JSON.stringify(event)}\n`);
const die = (where: string) => {
  say({ event: 'dying', where });
  process.kill(process.pid, 'SIGKILL');
};

function dying(directory: OffboardDirectory, dieAt: string | undefined): OffboardDirectory {
  return new Proxy(directory, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        if (dieAt === `call:${String(name)}`) die(dieAt);
        return result;
      };
    },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const config = JSON.parse(process.env[OFFBOARD_RUNNER_ENV] ?? '{}') as OffboardRunnerConfig;
  const { endpoints } = config;
  const credential = createCredential({ profile: 'local', identity: { kind: 'clientSecret', tenantId: endpoints.tenantId, clientId: endpoints.clientId, clientSecret: endpoints.clientSecret, authorityHost: endpoints.authorityHost } });
  const graph = createGraphClient({ credential, baseUrl: endpoints.graphBaseUrl }).client;
  const tables = createTableClientFactory(endpoints.tables);
  const requests = new TableRequestStore(tables);
  const clock = { now: () => new Date(Date.now() + config.offsetMs) };
  const guard = new PreWriteGuard({ membership: new GraphMembership(graph, 0), approversGroup: SEED.groups.approvers, signer: testApprovalSigner, policy: testPolicy, requests });
  const notifier = { submitted: async () => ({ delivered: 0, where: 'nowhere' as const }), changed: async (request: { id: string }, message: string) => void say({ event: 'told', requestId: request.id, message }), reminded: async () => undefined };
  const regrant = new ProposeRegrant({ inspect: new InspectApp({ inventory: new GraphInventory({ client: graph }), requests, clock, soonDays: 30 }), requests, notifier, policy: testPolicy, clock, expiryMs: 7 * 86_400_000 });
  const run = new RunOffboarding({
    regrant,
    requests, audit: new TableAuditLog(tables), directory: dying(new GraphOffboarding(graph), config.dieAt), clock, guard, owner: config.owner, leaseMs: config.leaseMs,
    notifier,
    checkpoint: async (name) => { if (name === config.dieAt) die(name); },
  });
  const deadline = Date.now() + (config.timeoutMs ?? 60_000);
  say({ event: 'started', pid: process.pid });
  if (config.mode === 'once') {
    say({ event: 'outcome', outcome: (await run.execute(config.requestId)).kind });
  } else {
    for (;;) {
      const outcome = await run.execute(config.requestId);
      const now = (await requests.get(config.requestId))!.value;
      const event = { Disabled: 'disabled', Offboarded: 'offboarded', Restored: 're-enabled' } as const;
      const settled = !!config.until && now.state === config.until && !!now.offboarding?.told?.includes(event[config.until]);
      if (settled || outcome.kind === 'failed' || Date.now() > deadline) {
        say({ event: 'outcome', outcome: outcome.kind, state: now.state });
        break;
      }
      await sleep(150);
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
