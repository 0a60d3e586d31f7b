import { randomBytes } from 'node:crypto';
import type { Config } from './config';
import type { Logger } from './logging';
import type { TokenCredential } from './adapters/identity/credentials';
import type { TableClientFactory } from './adapters/tables/tableClients';
import { TableLinkStore } from './adapters/tables/tableLinkStore';
import { KeyVaultSecretVault, isLoopbackVault } from './adapters/keyvault/keyVaultSecretVault';
import type { Clock, HealthProbe } from './app/ports';
import type { SecretVault } from './app/secretVaultPort';
import type { AuditLog, RequestStore } from './app/workflowPorts';
import { IssueSecretLink } from './app/secrets/issueSecretLink';
import { RevealSecret } from './app/secrets/revealSecret';
import { SweepExpiredLinks } from './app/secrets/sweepExpiredLinks';
import { SecretLinkSweeper } from './app/secrets/secretLinkSweeper';
import type { AppPasswordRemover, LinkStore, SecretLinkNotifier } from './app/secrets/secretLinkPorts';
import type { HttpServerDeps } from './http/server';
import { secretPages } from './http/secretPages';
import { AntiForgery } from './http/antiForgery';
import { RateLimiter } from './http/rateLimit';

/** The two side effects of an expired link that belong to other adapters (Graph, Teams). */
export interface SecretLinkPorts {
  passwords?: AppPasswordRemover;
  notifier?: SecretLinkNotifier;
}

export interface SecretsParts {
  vault?: SecretVault;
  links: LinkStore;
  /** For the provisioning saga, once the password exists. Absent without a vault. */
  issue?: IssueSecretLink;
  reveal?: RevealSecret;
  sweep?: SweepExpiredLinks;
  /** Started by main like the other sweepers; absent until both SecretLinkPorts are wired. */
  sweeper?: SecretLinkSweeper;
  probes: HealthProbe[];
  routes: NonNullable<HttpServerDeps['extraRoutes']>;
}

export interface SecretsDeps extends SecretLinkPorts {
  credential?: TokenCredential;
  tables: TableClientFactory;
  requests: RequestStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
}

/** The secret handover: vault, link store, the three use cases, the /secrets pages and their sweeper. */
export function composeSecrets(config: Config, deps: SecretsDeps): SecretsParts {
  const { credential, logger, clock, audit, requests } = deps;
  const links = new TableLinkStore(deps.tables);
  const url = config.vault.url;
  if (!credential || !url) {
    logger.warn('No Key Vault configured (KEY_VAULT_URL, AZURE_CLIENT_ID): no client secret can be handed over');
    return { links, probes: [], routes: [] };
  }
  const vault = new KeyVaultSecretVault(url, credential, { disableChallengeResourceVerification: config.profile === 'local' && isLoopbackVault(url) });
  const settings = config.secretLinks;
  const issue = new IssueSecretLink({ vault, links, audit, clock, settings: { publicUrl: config.http.publicUrl, linkTtlMs: settings.ttlMs } });
  const reveal = new RevealSecret({ vault, links, requests, audit, clock, log: logger, tenant: async () => ({ id: config.identity.tenantId }) });
  const routes = [secretPages({
    reveal, logger, trustForwardedFor: settings.trustForwardedFor,
    antiForgery: new AntiForgery(antiForgeryKey(config, logger), config.http.publicUrl.startsWith('https:')),
    limiter: new RateLimiter(settings.requestsPerMinute),
  })];
  const { passwords, notifier } = deps;
  const sweep = passwords && notifier ? new SweepExpiredLinks({ links, vault, passwords, notifier, audit, clock }) : undefined;
  if (!sweep) logger.warn('Expired secret links are not swept yet: no password remover and requester notifier are wired');
  return { vault, links, issue, reveal, sweep, sweeper: sweep && new SecretLinkSweeper(sweep, logger), probes: [vault.probe()], routes };
}

/** Instances must share the key, or a page served by one cannot be submitted to another. */
function antiForgeryKey(config: Config, logger: Logger): Buffer {
  if (config.secretLinks.key) return Buffer.from(config.secretLinks.key, 'utf8');
  if (config.profile === 'azure') logger.warn('SECRET_LINK_KEY is not set: the Reveal button works only on the instance that served the page');
  return randomBytes(32);
}
