import { hostname } from 'node:os';
import type { Config } from './config';
import type { Logger } from './logging';
import type { TokenCredential } from './adapters/identity/credentials';
import { GraphDirectory } from './adapters/graph/graphDirectory';
import { KeyVaultSecretVault } from './adapters/keyvault/keyVaultSecretVault';
import { ProvisionRegistration } from './app/provisionRegistration';
import { ProvisioningSweeper, type ApprovedWork } from './app/provisioningSweeper';
import { RotateSecret } from './app/secrets/rotateSecret';
import { defaultProvisioningSettings } from './app/provisioningPorts';
import { notifyingProgress } from './app/approvals/notifyingProgress';
import type { Clock, HealthProbe } from './app/ports';
import type { AuditLog, RequestNotifier, RequestStore } from './app/workflowPorts';
import type { SecretVault } from './app/secretVaultPort';
import type { ProvisioningProgress } from './app/provisioningPorts';
import type { PreWriteGuard } from './app/provisioning/preWriteGuard';
import { ApprovedWorkDispatcher, type WorkHandlers } from './app/provisioning/approvedWork';

export interface ProvisioningParts {
  /** Runs approved work by its plan kind (a registration, a rotation, a drift fix): the click path and the sweeper both go through it. */
  provision?: ApprovedWork;
  saga?: ProvisionRegistration;
  rotate?: RotateSecret;
  sweeper?: ProvisioningSweeper;
  probes: HealthProbe[];
}

/**
 * Provisioning needs Graph and Key Vault. Without them (a bare local run) approvals still work and the
 * request waits Approved; the provisioning sweeper picks it up once an instance with both is running.
 */
export function composeProvisioning(config: Config, deps: {
  credential?: TokenCredential; requests: RequestStore; audit: AuditLog; notifier: RequestNotifier; clock: Clock; logger: Logger;
  /** The secret handover's vault (secretsWiring), shared so there is one client; and what runs once a saga is done. */
  vault?: SecretVault; handover?: (requestId: string) => Promise<unknown>;
  /** The re-checks before any write; and the handlers of the other kinds of approved work (drift fix, rotation). */
  guard: PreWriteGuard; otherWork?: Omit<WorkHandlers, 'registration'>;
}): ProvisioningParts {
  const { credential, logger } = deps;
  if (!credential || !config.graph.baseUrl || !config.vault.url) {
    logger.warn('Microsoft Graph or Key Vault is not configured: approved requests wait until an instance with both runs');
    return { probes: [] };
  }
  const local = config.profile === 'local';
  const directory = new GraphDirectory({ credential, baseUrl: config.graph.baseUrl, clientId: config.identity.clientId });
  const ownVault = deps.vault ? undefined : new KeyVaultSecretVault(config.vault.url, credential, { disableChallengeResourceVerification: local });
  const progress = withHandover(notifyingProgress(deps.notifier), deps.notifier, deps.handover, logger);
  const settings = { ...defaultProvisioningSettings(`${hostname()}-${process.pid}`), handoverTtlMs: config.secretLinks.ttlMs };
  const vault = deps.vault ?? ownVault!;
  const saga = new ProvisionRegistration({ requests: deps.requests, audit: deps.audit, directory, vault, clock: deps.clock, progress, settings, guard: deps.guard });
  const rotate = new RotateSecret({ requests: deps.requests, audit: deps.audit, directory, vault, clock: deps.clock, progress, settings });
  const dispatcher = new ApprovedWorkDispatcher({
    requests: deps.requests,
    handlers: { ...deps.otherWork, registration: (input) => saga.execute(input), rotation: (input) => rotate.execute(input) },
  });
  const provision: ApprovedWork = { execute: (input) => dispatcher.execute(input) };
  const sweeper = new ProvisioningSweeper({ requests: deps.requests, provision, clock: deps.clock, log: logger });
  return { provision, saga, rotate, sweeper, probes: ownVault ? [ownVault.probe()] : [] };
}

/** The one-time link follows the "registered" message; if sending fails, the secret link sweeper sends it later. */
function withHandover(progress: ProvisioningProgress, notifier: RequestNotifier, handover: ((requestId: string) => Promise<unknown>) | undefined, logger: Logger): ProvisioningProgress {
  if (!handover) return progress;
  return {
    ...progress,
    finished: async (request) => {
      // "Registered and verified" alone would hide that the requester has no secret: they hear it at once.
      if (request.provisioning?.secretNotDelivered) await notifier.changed(request, `${request.id} (${request.title}) is registered, but its client secret was not delivered: Key Vault did not take it, so Onboard removed it from the app. Press Rotate on the notice to get a new one.`);
      else await progress.finished(request);
      // Only the error's name and status: a connector error may carry the activity, and so the link.
      await handover(request.id).catch((error) => logger.warn({ requestId: request.id, error: (error as Error)?.name, status: (error as { statusCode?: number })?.statusCode }, 'one-time link not sent yet; the sweeper retries'));
    },
  };
}
