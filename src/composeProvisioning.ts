import { hostname } from 'node:os';
import type { Config } from './config';
import type { Logger } from './logging';
import type { TokenCredential } from './adapters/identity/credentials';
import { GraphDirectory } from './adapters/graph/graphDirectory';
import { KeyVaultSecretVault } from './adapters/keyvault/keyVaultSecretVault';
import { ProvisionRegistration } from './app/provisionRegistration';
import { ProvisioningSweeper } from './app/provisioningSweeper';
import { defaultProvisioningSettings } from './app/provisioningPorts';
import { notifyingProgress } from './app/approvals/notifyingProgress';
import type { Clock, HealthProbe } from './app/ports';
import type { AuditLog, RequestNotifier, RequestStore } from './app/workflowPorts';

export interface ProvisioningParts {
  provision?: ProvisionRegistration;
  sweeper?: ProvisioningSweeper;
  probes: HealthProbe[];
}

/**
 * Provisioning needs Graph and Key Vault. Without them (a bare local run) approvals still work and the
 * request waits Approved; the provisioning sweeper picks it up once an instance with both is running.
 */
export function composeProvisioning(config: Config, deps: { credential?: TokenCredential; requests: RequestStore; audit: AuditLog; notifier: RequestNotifier; clock: Clock; logger: Logger }): ProvisioningParts {
  const { credential, logger } = deps;
  if (!credential || !config.graph.baseUrl || !config.vault.url) {
    logger.warn('Microsoft Graph or Key Vault is not configured: approved requests wait until an instance with both runs');
    return { probes: [] };
  }
  const local = config.profile === 'local';
  const directory = new GraphDirectory({ credential, baseUrl: config.graph.baseUrl });
  const vault = new KeyVaultSecretVault(config.vault.url, credential, { disableChallengeResourceVerification: local });
  const provision = new ProvisionRegistration({
    requests: deps.requests, audit: deps.audit, directory, vault, clock: deps.clock, progress: notifyingProgress(deps.notifier),
    settings: defaultProvisioningSettings(`${hostname()}-${process.pid}`),
  });
  const sweeper = new ProvisioningSweeper({ requests: deps.requests, provision, clock: deps.clock, log: logger });
  return { provision, sweeper, probes: [vault.probe()] };
}
