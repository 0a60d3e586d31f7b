import { hostname } from 'node:os';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { TokenCredential } from '../adapters/identity/credentials';
import { GraphDirectory } from '../adapters/graph/graphDirectory';
import { ProvisionRegistration } from '../app/provisionRegistration';
import type { ApprovedWork } from '../app/provisioningSweeper';
import { RotateSecret } from '../app/secrets/rotateSecret';
import { defaultProvisioningSettings, type ProvisioningProgress } from '../app/provisioningPorts';
import type { Clock } from '../app/ports';
import type { AuditLog, RequestNotifier, RequestStore } from '../app/workflowPorts';
import type { SecretVault } from '../app/secretVaultPort';
import type { PreWriteGuard } from '../app/provisioning/preWriteGuard';
import { ApprovedWorkDispatcher, type WorkHandlers } from '../app/provisioning/approvedWork';

/**
 * The worker's approved work, one dispatcher by plan kind: the saga for a registration, RotateSecret for a rotation,
 * and the other kinds' handlers (the drift fix); Graph and Key Vault under the worker's identity; the pre-write
 * guard before any write; what it says goes to the bot as notices.
 */
export function composeProvisioning(config: Config, deps: {
  credential: TokenCredential; requests: RequestStore; audit: AuditLog; clock: Clock; logger: Logger; vault: SecretVault; progress: ProvisioningProgress;
  guard: PreWriteGuard; otherWork?: Omit<WorkHandlers, 'registration'>;
}): { provision: ApprovedWork; saga: ProvisionRegistration; rotate: RotateSecret; directory: GraphDirectory } {
  const directory = new GraphDirectory({ credential: deps.credential, baseUrl: config.graph.baseUrl!, clientId: config.identity.clientId });
  const settings = { ...defaultProvisioningSettings(`${hostname()}-${process.pid}`), handoverTtlMs: config.secretLinks.ttlMs, leaseMs: config.worker.leaseMs };
  const common = { requests: deps.requests, audit: deps.audit, directory, vault: deps.vault, clock: deps.clock, progress: deps.progress, settings };
  const saga = new ProvisionRegistration({ ...common, guard: deps.guard });
  const rotate = new RotateSecret(common);
  const dispatcher = new ApprovedWorkDispatcher({
    requests: deps.requests,
    handlers: { ...deps.otherWork, registration: (input) => saga.execute(input), rotation: (input) => rotate.execute(input) },
  });
  return { provision: { execute: (input) => dispatcher.execute(input) }, saga, rotate, directory };
}

/**
 * The bot's words when the worker says a saga is done, then the one-time link. If sending the link fails, the
 * "handovers owed" sweep sends it later.
 */
export function finishedWithHandover(progress: ProvisioningProgress, notifier: RequestNotifier, handover: ((requestId: string) => Promise<unknown>) | undefined, logger: Logger): ProvisioningProgress['finished'] {
  return async (request) => {
    // "Registered and verified" alone would hide that the requester has no secret: they hear it at once.
    if (request.provisioning?.secretNotDelivered) await notifier.changed(request, `${request.id} (${request.title}) is registered, but its client secret was not delivered: Key Vault did not take it, so Onboard removed it from the app. Press Rotate on the notice to get a new one.`);
    else await progress.finished(request);
    if (!handover) return;
    // Only the error's name and status: a connector error may carry the activity, and so the link.
    await handover(request.id).catch((error) => logger.warn({ requestId: request.id, error: (error as Error)?.name, status: (error as { statusCode?: number })?.statusCode }, 'one-time link not sent yet; the sweeper retries'));
  };
}
