import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { TokenCredential } from '../adapters/identity/credentials';
import type { TableClientFactory } from '../adapters/tables/tableClients';
import { TableLinkStore } from '../adapters/tables/tableLinkStore';
import { KeyVaultSecretVault, isLoopbackVault } from '../adapters/keyvault/keyVaultSecretVault';
import { GraphDirectory } from '../adapters/graph/graphDirectory';
import type { Clock, HealthProbe } from '../app/ports';
import type { SecretVault } from '../app/secretVaultPort';
import type { AuditLog, RequestStore } from '../app/workflowPorts';
import { IssueSecretLink } from '../app/secrets/issueSecretLink';
import { RevealSecret } from '../app/secrets/revealSecret';
import { SweepExpiredLinks } from '../app/secrets/sweepExpiredLinks';
import { SecretLinkSweeper } from '../app/secrets/secretLinkSweeper';
import type { LinkStore, SecretLinkNotifier } from '../app/secrets/secretLinkPorts';
import { RequestRotation } from '../app/secrets/requestRotation';
import { WithdrawAbandonedSecrets } from '../app/secrets/withdrawAbandonedSecrets';
import { FinishRotations, type RotationNotifier } from '../app/secrets/finishRotations';
import type { Groups } from '../app/approvals/actors';
import type { PolicySettings } from '../domain/policy';
import type { Membership, RequestNotifier } from '../app/workflowPorts';
import type { HttpServerDeps } from '../http/server';
import { secretPages } from '../http/secretPages';
import { AntiForgery } from '../http/antiForgery';
import { RateLimiter } from '../http/rateLimit';
import { RevokeSecret } from '../app/secrets/revokeSecret';
import { LinkSignIn, type LinkSignInDeps, type LinkSignInNotifier } from '../app/secrets/linkSignIn';
import { MsalRecipientSignIn } from '../adapters/identity/msalSignIn';
import { federatedAssertion } from '../adapters/identity/credentials';
import { SealedCookies } from '../http/sealedCookies';
import { SecretSignIn } from '../http/secretSignIn';

export interface SecretsParts {
  vault?: SecretVault;
  links: LinkStore;
  /** Issues and sends the link once the saga is done (the bot calls it when the worker's notice says so). */
  issue?: IssueSecretLink;
  reveal?: RevealSecret;
  rotate?: RequestRotation;
  /** In the bot, `confirm` only records the requester's confirmation; the worker removes the old secret. */
  finishRotations?: FinishRotations;
  /** "revoke secret for <app>": the password goes at once (the worker removes it), a rotation follows. */
  revoke?: RevokeSecret;
  /** Started by main like the other sweepers. */
  sweeper?: SecretLinkSweeper;
  probes: HealthProbe[];
  routes: NonNullable<HttpServerDeps['extraRoutes']>;
}

export interface SecretsDeps {
  credential?: TokenCredential;
  tables: TableClientFactory;
  requests: RequestStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  notifier: SecretLinkNotifier & RotationNotifier & LinkSignInNotifier;
  /** A rotation is a request like any other: it is approved the same way. */
  approvals: { membership: Membership; groups: Groups; policy: PolicySettings; notifier: RequestNotifier; expiryMs: number };
  /** Removes passwords through the worker, which holds the write role (revoke). */
  passwordRemoval: { removePassword(appObjectId: string, keyId: string): Promise<void> };
  /** Tells the worker there is work (a confirmed rotation). */
  wakeWorker: () => Promise<void>;
}

const vaultOf = (config: Config, credential: TokenCredential) =>
  new KeyVaultSecretVault(config.vault.url!, credential, { disableChallengeResourceVerification: config.profile === 'local' && isLoopbackVault(config.vault.url!) });

/**
 * The bot's half of the secret handover: the /secrets pages and the reveal (Key Vault get, delete, purge), the
 * link issued when the worker says a saga is done, rotation requests, and the "handovers owed" sweep. It writes
 * nothing to Graph; the worker's half (composeWorkerSecrets) does.
 */
export function composeSecrets(config: Config, deps: SecretsDeps): SecretsParts {
  const { credential, logger, clock, audit, requests, notifier } = deps;
  const links = new TableLinkStore(deps.tables);
  if (!credential || !config.vault.url || !config.graph.baseUrl) {
    logger.warn('No Key Vault or Microsoft Graph configured (KEY_VAULT_URL, GRAPH_BASE_URL, AZURE_CLIENT_ID): no client secret can be handed over');
    return { links, probes: [], routes: [] };
  }
  const vault = vaultOf(config, credential);
  const settings = config.secretLinks;
  const issue = new IssueSecretLink({ requests, links, notifier, audit, clock, settings: { publicUrl: config.http.publicUrl, linkTtlMs: settings.ttlMs } });
  const tenantId = config.identity.tenantId ?? '';
  const recipientOnly = settings.signIn.mode === 'required' ? { tenantId } : undefined;
  const reveal = new RevealSecret({ vault, links, requests, audit, clock, log: logger, tenant: async () => ({ id: config.identity.tenantId }), cards: deps.approvals.notifier, recipientOnly });
  const key = antiForgeryKey(config, logger);
  const secure = config.http.publicUrl.startsWith('https:');
  const routes = [secretPages({
    reveal, logger, trustForwardedFor: settings.trustForwardedFor,
    signIn: recipientOnly && linkSignIn(config, { credential, logger, clock, audit, notifier, lookup: (token) => reveal.lookup(token), cookies: new SealedCookies(key, secure) }),
    antiForgery: new AntiForgery(key, secure),
    limiter: new RateLimiter(settings.requestsPerMinute),
  })];
  const directory = new GraphDirectory({ credential, baseUrl: config.graph.baseUrl, clientId: config.identity.clientId });
  const rotate = new RequestRotation({ requests, audit, directory, clock, ...deps.approvals });
  // Listing passwords is a read (the bot's); removing them is the worker's, asked through the store.
  const revoke = new RevokeSecret({
    requests, audit, clock, links, membership: deps.approvals.membership, groups: deps.approvals.groups, rotate,
    directory: { listPasswords: (id) => directory.listPasswords(id), removePassword: (id, keyId) => deps.passwordRemoval.removePassword(id, keyId) },
  });
  const finishRotations = new FinishRotations({ requests, audit, notifier, clock, graceMs: settings.rotationGraceMs, wake: deps.wakeWorker });
  const sweeper = new SecretLinkSweeper([{ name: 'handovers owed', run: () => issue.sweep() }], logger);
  return { vault, links, issue, reveal, rotate, finishRotations, revoke, sweeper, probes: [vault.probe()], routes };
}

/** Sign-in before Reveal: msal-node against Entra (or the local cloud), the use case, and the edge's cookies. */
function linkSignIn(config: Config, deps: { credential: TokenCredential; logger: Logger; clock: Clock; audit: AuditLog; notifier: LinkSignInNotifier; lookup: LinkSignInDeps['lookup']; cookies: SealedCookies }): SecretSignIn {
  const { identity, secretLinks } = config;
  const clientId = secretLinks.signIn.clientId;
  if (!clientId || !identity.tenantId) throw new Error('SECRET_LINK_SIGNIN=required needs SECRET_LINK_SIGNIN_CLIENT_ID (or AZURE_CLIENT_ID locally) and AZURE_TENANT_ID');
  // The bot's own app registration locally (its secret is at hand); in Azure a separate one trusting Onboard's managed identity.
  const ownSecret = clientId === identity.clientId && identity.kind === 'clientSecret' ? identity.clientSecret : undefined;
  const signIn = new MsalRecipientSignIn({
    authorityHost: identity.authorityHost ?? 'https://login.microsoftonline.com', tenantId: identity.tenantId, clientId, log: deps.logger,
    clientSecret: ownSecret, clientAssertion: ownSecret ? undefined : federatedAssertion(deps.credential),
  });
  const use = new LinkSignIn({ lookup: deps.lookup, audit: deps.audit, clock: deps.clock, notifier: deps.notifier, tenantId: identity.tenantId, log: deps.logger });
  return new SecretSignIn({ signIn, use, cookies: deps.cookies, redirectUri: signInRedirectUri(config.http.publicUrl), logger: deps.logger });
}

/** Where Entra sends the browser back: registered on the sign-in app (`onboard dev` locally, the deploy script in Azure). */
export function signInRedirectUri(publicUrl: string): string {
  return `${publicUrl.replace(/\/$/, '')}/secrets/signin`;
}

/**
 * The worker's half: expired links withdrawn (vault purge and the password removed from the app), rotations
 * finished, secrets of cancelled requests withdrawn. People hear of it through the bot (`notifier` is the outbox).
 */
export function composeWorkerSecrets(config: Config, deps: { credential: TokenCredential; tables: TableClientFactory; requests: RequestStore; audit: AuditLog; clock: Clock; logger: Logger; notifier: SecretLinkNotifier & RotationNotifier; vault: SecretVault }) {
  const { credential, requests, audit, clock, notifier, vault } = deps;
  const links = new TableLinkStore(deps.tables);
  const directory = new GraphDirectory({ credential, baseUrl: config.graph.baseUrl!, clientId: config.identity.clientId });
  const passwords = { removePassword: (t: { appObjectId?: string; keyId: string }) => directory.removePassword(t.appObjectId!, t.keyId) };
  const sweep = new SweepExpiredLinks({ links, vault, passwords, notifier, audit, clock });
  const finishRotations = new FinishRotations({ requests, audit, directory, notifier, clock, graceMs: config.secretLinks.rotationGraceMs });
  const abandoned = new WithdrawAbandonedSecrets({ requests, vault, directory, audit, clock });
  const sweeper = new SecretLinkSweeper([
    { name: 'expired links', run: () => sweep.execute() },
    { name: 'rotations past their grace period or confirmed', run: () => finishRotations.sweep() },
    { name: 'secrets of cancelled requests', run: () => abandoned.sweep() },
  ], deps.logger);
  return { sweep, finishRotations, sweeper };
}

export { vaultOf };

/** Instances must share the key, or a page served by one cannot be submitted to another. */
function antiForgeryKey(config: Config, logger: Logger): Buffer {
  if (config.secretLinks.key) return Buffer.from(config.secretLinks.key, 'utf8');
  if (config.profile === 'azure') logger.warn('SECRET_LINK_KEY is not set: the Reveal button works only on the instance that served the page');
  return randomBytes(32);
}
