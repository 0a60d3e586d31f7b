import type { Config } from '../config';
import type { Logger } from '../logging';
import { packageVersion } from '../paths';
import { recipes } from '../domain/catalog/recipes';
import { WORKER_GRAPH_ROLES } from '../domain/identities';
import { createCredential } from '../adapters/identity/credentials';
import { createTableClientFactory } from '../adapters/tables/tableClients';
import { tableStorageProbe } from '../adapters/tables/tableHealth';
import { TableRequestStore } from '../adapters/tables/tableRequestStore';
import { TableAuditLog } from '../adapters/tables/tableAuditLog';
import { createGraphClient } from '../adapters/graph/graphClient';
import { GraphMembership } from '../adapters/graph/graphMembership';
import { GraphPermissionCheck } from '../adapters/graph/graphPermissionCheck';
import { systemClock, type Clock, type HealthProbe } from '../app/ports';
import type { Membership } from '../app/workflowPorts';
import { OutboxNotifier, outboxProgress } from '../app/handoff/outboxNotifier';
import { PickUpWork } from '../app/handoff/pickUpWork';
import { CarryOutOrders } from '../app/handoff/carryOutOrders';
import { SignalWatcher } from '../app/handoff/signalWatcher';
import type { SecretLinkSweeper } from '../app/secrets/secretLinkSweeper';
import { composeProvisioning } from './provisioning';
import { composeDriftFix } from './helpdesk';
import { PreWriteGuard } from '../app/provisioning/preWriteGuard';
import { GraphOffboarding } from '../adapters/graph/graphOffboarding';
import { RunOffboarding } from '../app/offboarding/runOffboarding';
import { OffboardSweeper } from '../app/offboarding/offboardSweeper';
import { ProposeRegrant } from '../app/offboarding/proposeRegrant';
import { InspectApp } from '../app/helpdesk/inspectApp';
import { GraphInventory } from '../adapters/graph/graphInventory';
import { hostname } from 'node:os';
import { VaultApprovalSigner } from '../adapters/keyvault/vaultApprovalSigner';
import { composeWorkerSecrets, vaultOf } from './secrets';
import { FALLBACK_SWEEP_MS, SIGNAL_POLL_MS, tableHandoff, type Handoff } from './handoff';

/** Sagas one worker process runs at once; more wait their turn, and the leases let other workers take them. */
const SAGAS_AT_ONCE = 4;

export interface Worker {
  /** Starts approved work when the bot pokes, and every FALLBACK_SWEEP_MS anyway. */
  intake: SignalWatcher;
  pickUp: PickUpWork;
  /** Expired links, finished rotations, withdrawn secrets: on a timer, and also when poked. */
  secretsSweeper: SecretLinkSweeper;
  /** Offboarding's later steps: removal once the grace period is over, sign-in back on after a restore order. */
  offboardSweeper: OffboardSweeper;
  /** The worker's identity's roles and the stores it needs, for the ready line and its log. */
  health(): Promise<{ name: string; state: string; detail?: string }[]>;
  /** The approvers' group membership as the worker itself reads it, for the saga's re-checks before any write. */
  membership: Membership;
  start(): void;
  close(): Promise<void>;
}

export interface WorkerOverrides {
  clock?: Clock;
  handoff?: Handoff;
}

/**
 * The worker's composition root: its own identity (the Graph write roles and Key Vault set), no inbound
 * endpoint. It runs the sagas, drift fixes, rotations and the secret sweepers, picking work from Table Storage
 * under the existing leases, and tells people through the bot (notices), which keeps the Bot Framework identity.
 */
export function composeWorker(config: Config, logger: Logger, overrides: WorkerOverrides = {}): Worker {
  recipes();
  if (!config.identity.clientId || !config.graph.baseUrl || !config.vault.url) {
    throw new Error('The worker needs its identity, Microsoft Graph and Key Vault: set AZURE_CLIENT_ID, GRAPH_BASE_URL and KEY_VAULT_URL');
  }
  const credential = createCredential(config);
  const clock = overrides.clock ?? systemClock;
  const tables = createTableClientFactory(config.tables, credential);
  const requests = new TableRequestStore(tables);
  const audit = new TableAuditLog(tables);
  const handoff = overrides.handoff ?? tableHandoff(tables);
  const outbox = new OutboxNotifier(handoff.notices, handoff.bot);
  const vault = vaultOf(config, credential);
  const graph = createGraphClient({ credential, baseUrl: config.graph.baseUrl }).client;
  // The worker's own reading of the approvers group, asked afresh before every write (no cache): someone removed
  // from the group since they approved counts at once.
  const membership = new GraphMembership(graph, 0);
  // The approval key: the local profile makes it at first start (only the worker may write secrets); Azure's deploy does.
  const signer = new VaultApprovalSigner(vault, { createIfMissing: config.profile === 'local' });
  if (config.profile === 'local') void signer.ensureKey().catch((error) => logger.warn({ err: error }, 'could not make the approval key yet; the next check tries again'));
  const policy = { allowSelfApproval: config.policy.allowSelfApproval, highRiskApprovals: config.policy.highRiskApprovals };
  const guard = new PreWriteGuard({ membership, approversGroup: config.groups.approvers, signer, policy, requests });
  const applyDriftFix = composeDriftFix({ graph, requests, audit, notifier: outbox, clock, guard });
  const regrant = new ProposeRegrant({
    inspect: new InspectApp({ inventory: new GraphInventory({ client: graph }), requests, clock, soonDays: config.policy.expiryWatchDays }),
    requests, notifier: outbox, policy, clock, expiryMs: config.policy.requestExpiryMs,
  });
  const offboard = new RunOffboarding({ requests, audit, directory: new GraphOffboarding(graph), notifier: outbox, clock, guard, regrant, owner: `${hostname()}-${process.pid}` });
  const offboardSweeper = new OffboardSweeper({ requests, run: offboard, clock, log: logger });
  const { provision, directory } = composeProvisioning(config, {
    credential, requests, audit, clock, logger, vault, progress: outboxProgress(outbox), guard,
    otherWork: { 'drift-fix': (input) => applyDriftFix.execute(input.requestId), offboard: (input) => offboard.execute(input.requestId) },
  });
  const run = (requestId: string) => provision.execute({ requestId });
  const pickUp = new PickUpWork({ requests, clock, run, concurrency: SAGAS_AT_ONCE, log: logger });
  const secrets = composeWorkerSecrets(config, { credential, tables, requests, audit, clock, logger, notifier: outbox, vault });
  const orders = new CarryOutOrders({ box: handoff.orders, requests, directory, log: logger });
  // A poke may be an approval, a revoke's password removal or a confirmed rotation: each is cheap to look for.
  const intake = new SignalWatcher(handoff.worker, async () => {
    await orders.execute();
    await pickUp.execute();
    await offboardSweeper.runOnce();
    await secrets.finishRotations.sweep();
  }, { pollMs: SIGNAL_POLL_MS, fallbackMs: FALLBACK_SWEEP_MS, log: logger });
  const permissions = new GraphPermissionCheck(directory, logger, { expected: WORKER_GRAPH_ROLES, who: 'the worker' });
  const probes: HealthProbe[] = [tableStorageProbe(tables), permissions.probe(), vault.probe()];
  return {
    intake, pickUp, secretsSweeper: secrets.sweeper, offboardSweeper, membership,
    health: () => Promise.all(probes.map(async (p) => ({ name: p.name, ...(await p.check().catch((error: Error) => ({ state: 'down', detail: error.message }))) }))),
    start() {
      intake.start();
      secrets.sweeper.start();
      offboardSweeper.start();
      logger.info({ version: packageVersion, profile: config.profile }, 'Onboard worker is running');
    },
    async close() {
      await intake.stop();
      await secrets.sweeper.stop();
      await offboardSweeper.stop();
      await pickUp.stop();
    },
  };
}
