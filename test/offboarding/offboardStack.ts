import type { LocalCloud } from '../../src/localcloud';
import { createGraphClient } from '../../src/adapters/graph/graphClient';
import { GraphInventory } from '../../src/adapters/graph/graphInventory';
import { GraphMembership } from '../../src/adapters/graph/graphMembership';
import { GraphOffboarding } from '../../src/adapters/graph/graphOffboarding';
import { DecideApproval } from '../../src/app/approvals/decideApproval';
import { InspectApp } from '../../src/app/helpdesk/inspectApp';
import { OffboardSweeper } from '../../src/app/offboarding/offboardSweeper';
import { PlanOffboard } from '../../src/app/offboarding/planOffboard';
import { RequestOffboard } from '../../src/app/offboarding/requestOffboard';
import { RestoreApp } from '../../src/app/offboarding/restoreApp';
import { RunOffboarding } from '../../src/app/offboarding/runOffboarding';
import { PreWriteGuard } from '../../src/app/provisioning/preWriteGuard';
import { ProposeRegrant } from '../../src/app/offboarding/proposeRegrant';
import { ApplyDriftFix } from '../../src/app/helpdesk/applyDriftFix';
import { GraphPermissionWriter } from '../../src/adapters/graph/graphPermissionWriter';
import type { AuditLog, RequestNotifier, RequestStore } from '../../src/app/workflowPorts';
import type { RegistrationRequest } from '../../src/domain/request';
import { SEED } from '../../src/localcloud/seedIds';
import { credentialFor } from '../localcloud/helpers';
import type { ManualClock } from '../support/fakes';
import { testApprovalSigner, testPolicy } from '../support/provisioningStack';

/** What the people involved were told, by request. */
export class HeardNotifier implements RequestNotifier {
  readonly told: { requestId: string; message: string }[] = [];
  readonly submittedIds: string[] = [];
  async submitted(request: RegistrationRequest) {
    this.submittedIds.push(request.id);
    return { delivered: 2, where: 'approvers' as const };
  }
  async changed(request: RegistrationRequest, message: string) {
    this.told.push({ requestId: request.id, message });
  }
  async reminded() {}
}

/**
 * Offboarding as compose wires it, on the local cloud: the bot's side (plan, request, approve, restore) with the
 * bot's identity, which only reads Graph; the worker's side (steps, sweeper) with the worker's identity and guard.
 */
export function offboardStack(cloud: LocalCloud, requests: RequestStore, audit: AuditLog, clock: ManualClock, options: { checkpoint?: (name: string) => Promise<void>; owner?: string } = {}) {
  const groups = { approvers: SEED.groups.approvers, helpdesk: SEED.groups.helpdesk };
  const botGraph = createGraphClient({ credential: credentialFor(cloud, cloud.bot), baseUrl: cloud.graphBaseUrl }).client;
  const workerGraph = createGraphClient({ credential: credentialFor(cloud), baseUrl: cloud.graphBaseUrl }).client;
  const botMembership = new GraphMembership(botGraph, 0);
  const notifier = new HeardNotifier();
  const inspect = new InspectApp({ inventory: new GraphInventory({ client: botGraph }), requests, clock, soonDays: 30 });
  const plan = new PlanOffboard({ inspect, requests, graceDays: 14 });
  const offboard = new RequestOffboard({ plan, requests, audit, membership: botMembership, groups, notifier, policy: testPolicy, clock, expiryMs: 7 * 86_400_000 });
  const decide = new DecideApproval({ requests, audit, membership: botMembership, groups, policy: testPolicy, clock, signer: testApprovalSigner });
  const pokes: number[] = [];
  const restore = new RestoreApp({ requests, audit, membership: botMembership, groups, signer: testApprovalSigner, clock, wakeWorker: async () => pokes.push(1) });
  const guard = new PreWriteGuard({ membership: new GraphMembership(workerGraph, 0), approversGroup: SEED.groups.approvers, signer: testApprovalSigner, policy: testPolicy, requests });
  const regrant = new ProposeRegrant({ inspect: new InspectApp({ inventory: new GraphInventory({ client: workerGraph }), requests, clock, soonDays: 30 }), requests, notifier, policy: testPolicy, clock, expiryMs: 7 * 86_400_000 });
  const applyDriftFix = new ApplyDriftFix({ requests, audit, writer: new GraphPermissionWriter(workerGraph), notifier, clock, owner: 'test-worker', guard });
  const run = new RunOffboarding({ requests, audit, directory: new GraphOffboarding(workerGraph), notifier, clock, guard, regrant, owner: options.owner ?? 'test-worker', leaseMs: 1_500, checkpoint: options.checkpoint });
  const sweeper = new OffboardSweeper({ requests, run, clock });
  return { plan, offboard, decide, restore, run, sweeper, applyDriftFix, notifier, workerGraph, botGraph, pokes };
}
