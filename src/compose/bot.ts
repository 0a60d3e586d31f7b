import type { Config } from '../config';
import type { Logger } from '../logging';
import { packageVersion } from '../paths';
import { createTeamsAdapter, createTeamsApplication, createBotEndpoint, type OnboardApplication } from '../teams/app';
import { createHttpServer } from '../http/server';
import { InflightTracker } from '../http/inflight';
import { createTableClientFactory } from '../adapters/tables/tableClients';
import { tableStorageProbe } from '../adapters/tables/tableHealth';
import { TableRequestStore } from '../adapters/tables/tableRequestStore';
import { TableAuditLog } from '../adapters/tables/tableAuditLog';
import { TableConversationBook } from '../adapters/tables/tableConversationBook';
import { TableCardBook } from '../adapters/tables/tableCardBook';
import { createCredential } from '../adapters/identity/credentials';
import { systemClock, type Clock, type HealthProbe } from '../app/ports';
import type { Membership } from '../app/workflowPorts';
import { DecideApproval } from '../app/approvals/decideApproval';
import { CancelRequest } from '../app/approvals/cancelRequest';
import { UnconfiguredMembership } from '../app/approvals/unconfiguredMembership';
import { GraphMembership } from '../adapters/graph/graphMembership';
import { createGraphClient } from '../adapters/graph/graphClient';
import { GraphDirectory } from '../adapters/graph/graphDirectory';
import { GraphPermissionCheck } from '../adapters/graph/graphPermissionCheck';
import { finishedWithHandover } from './provisioning';
import { composeHelpdesk } from './helpdesk';
import { tableHandoff, SIGNAL_POLL_MS, FALLBACK_SWEEP_MS, type Handoff } from './handoff';
import { DeliverNotices } from '../app/handoff/deliverNotices';
import { SignalWatcher } from '../app/handoff/signalWatcher';
import { notifyingProgress } from '../app/approvals/notifyingProgress';
import { BOT_GRAPH_ROLES } from '../domain/identities';
import { withDriftFixes } from '../teams/views/inspectDriftFixView';
import { TeamsExpiryPoster } from '../teams/commands/secretsExpiring';
import { composeSecrets, type SecretsParts } from './secrets';
import { TeamsSecretLinkNotifier } from '../teams/secretNotifier';
import { SweepRequests } from '../app/approvals/sweepRequests';
import { RequestSweeper } from '../app/approvals/requestSweeper';
import { commandWords } from '../domain/commands';
import { recipes } from '../domain/catalog/recipes';
import { TableDraftStore } from '../adapters/tables/tableDraftStore';
import { SubmitRequest, requestIdFor } from '../app/requests/submitRequest';
import { createDomainPlanner } from '../app/requests/domainPlanner';
import { ListAwaitingDecision } from '../app/requests/awaitingDecision';
import { TeamsRequestNotifier } from '../teams/notifier';
import { createRequestRenderer } from '../teams/views/renderRequest';
import { storedPlanView } from '../teams/views/storedPlanView';
import { TableOutbox } from '../adapters/tables/tableOutbox';
import { DeliverOutbox } from '../app/delivery/deliverOutbox';
import { OutboxRequestNotifier } from '../app/delivery/outboxNotifier';
import { OutboxSweeper } from '../app/delivery/outboxSweeper';
import type { DeliveryChannel } from '../app/delivery/outbox';
import { TeamsDeliveryChannel } from '../teams/deliveryChannel';
import { TeamsReviewCards } from '../teams/reviewCards';
import { ReadReviewSubject } from '../app/review/readReviewSubject';
import { OutboxReviewCards } from '../app/delivery/outboxReviewCards';
import { VaultApprovalSigner } from '../adapters/keyvault/vaultApprovalSigner';
import { composeReview } from './review';
import type { ReviewSweeper } from '../app/review/reviewSweeper';
import type { OffboardRequester } from '../app/offboarding/offboardPorts';
import { PlanOffboard } from '../app/offboarding/planOffboard';
import { RequestOffboard } from '../app/offboarding/requestOffboard';
import { RestoreApp } from '../app/offboarding/restoreApp';

export interface Onboard {
  server: ReturnType<typeof createHttpServer>['server'];
  app: OnboardApplication;
  inflight: InflightTracker;
  /** Timers for expiry and reminders; main starts them, tests drive them by hand. */
  sweeper: RequestSweeper;
  /** Sends outbox leftovers (retries, and what a crashed instance queued); main starts it, tests drive it by hand. */
  outboxSweeper: OutboxSweeper;
  /** Says what the worker has to tell people, when the worker pokes (and every few seconds anyway). */
  notices: { start(): void; stop(): Promise<void>; runOnce(): Promise<unknown> };
  /** Daily post of soon-expiring secrets to the approvals channel; absent without Graph. */
  expiryWatch?: { start(): void; stop(): Promise<void>; runOnce(): Promise<unknown> };
  /** The periodic review (docs/review.md): asks requesters, then approvers; absent without Graph. */
  reviewSweeper?: ReviewSweeper;
  /** The one-time secret links: use cases, pages and their sweeper (compose/secrets.ts). */
  secrets: SecretsParts;
  /** Offboarding's bot side (issue #19): plan (read only), request, and restore; absent without Graph. */
  offboarding?: { plan: PlanOffboard; offboard: RequestOffboard; restore: RestoreApp };
  /** Waits for in-flight turns and background work (up to the grace period), then releases resources. */
  close(): Promise<void>;
}

export interface ComposeOverrides {
  clock?: Clock;
  membership?: Membership;
  /** The bot ↔ worker signals and notices; Table Storage unless a test wires both sides in one process. */
  handoff?: Handoff;
  /** Wraps the Teams sending side of the outbox: tests stand in for a process that dies before it sends. */
  deliveryChannel?: (teams: DeliveryChannel) => DeliveryChannel;
  /** Offboarding as the periodic review submits it (app/offboarding); until it is composed here, tests pass one. */
  offboard?: OffboardRequester;
}

/**
 * The bot's composition root: config → credentials → adapters → use cases → Teams app → HTTP server. No listen().
 * It talks to people, so it only reads Graph: approvals are recorded and the worker (compose/worker.ts) is poked.
 */
export function composeOnboard(config: Config, logger: Logger, overrides: ComposeOverrides = {}): Onboard {
  // Invalid recipes stop start-up here, naming the file and field, rather than at the first request.
  recipes();
  const credential = config.identity.clientId ? createCredential(config) : undefined;
  const tables = createTableClientFactory(config.tables, credential);
  const probes: HealthProbe[] = [tableStorageProbe(tables)];
  const clock = overrides.clock ?? systemClock;
  const requests = new TableRequestStore(tables);
  const audit = new TableAuditLog(tables);
  const conversations = new TableConversationBook(tables);
  const graph = credential && config.graph.baseUrl ? createGraphClient({ credential, baseUrl: config.graph.baseUrl }).client : undefined;
  const membership = overrides.membership ?? (graph ? new GraphMembership(graph) : new UnconfiguredMembership());
  if (!graph && !overrides.membership) logger.warn('No Microsoft Graph configured (GRAPH_BASE_URL, AZURE_CLIENT_ID): nobody can approve requests');
  if (credential && config.graph.baseUrl) {
    // The tenant's permission ids against the bundled catalogue, and the roles Onboard's token lacks: one log line at start, then /healthz.
    const permissions = new GraphPermissionCheck(new GraphDirectory({ credential, baseUrl: config.graph.baseUrl, clientId: config.identity.clientId }), logger, { expected: BOT_GRAPH_ROLES, who: 'the bot' });
    probes.push(permissions.probe());
    void permissions.check().catch((error) => logger.warn({ err: error }, 'could not check Onboard\'s Graph permissions at start-up; /healthz tries again'));
  }
  const groups = config.groups;
  const policy = { allowSelfApproval: config.policy.allowSelfApproval, highRiskApprovals: config.policy.highRiskApprovals };

  const inflight = new InflightTracker();
  const adapter = createTeamsAdapter(config.bot);
  const render = createRequestRenderer(withDriftFixes(storedPlanView));
  const cards = new TableCardBook(tables);
  const drafts = new TableDraftStore(tables);
  const planner = createDomainPlanner({ secretLifetimeDays: config.policy.secretLifetimeDays, maxSecretLifetimeDays: config.policy.maxSecretLifetimeDays, requestIdFor });
  const teamsNotifier = new TeamsRequestNotifier({ adapter, botAppId: config.bot.appId ?? '', conversations, cards, membership, approversGroup: groups.approvers, render, logger });
  const background = (label: string, work: () => Promise<unknown>) => void inflight.track(work().catch((error) => logger.error({ err: error, label }, 'background work failed')));
  // Approval cards and reminders go out through the outbox, sent from this process (it holds the Bot Framework identity).
  // Review cards too (docs/review.md › Delivery), rendered at send time with the helpdesk inspection composed below.
  let reviewSubject = new ReadReviewSubject();
  const teamsDelivery = new TeamsDeliveryChannel(teamsNotifier, new TeamsReviewCards((request) => reviewSubject.execute(request), config.review));
  const delivery = new DeliverOutbox({ outbox: new TableOutbox(tables), requests, channel: overrides.deliveryChannel?.(teamsDelivery) ?? teamsDelivery, clock, logger, audit });
  const notifier = new OutboxRequestNotifier(teamsNotifier, delivery, conversations, (id) => background('delivery', () => delivery.run(id)));
  const outboxSweeper = new OutboxSweeper(delivery, logger);
  const handoff = overrides.handoff ?? tableHandoff(tables);
  const wakeWorker = () => handoff.worker.poke();
  const secretNotifier = new TeamsSecretLinkNotifier(teamsNotifier, Math.round(config.secretLinks.rotationGraceMs / 86_400_000));
  const secrets = composeSecrets(config, {
    wakeWorker,
    passwordRemoval: {
      removePassword: async (appObjectId, keyId) => {
        await handoff.orders.post({ kind: 'removePassword', appObjectId, keyId });
        await wakeWorker().catch(() => undefined);
      },
    },
    credential, tables, requests, audit, clock, logger, notifier: secretNotifier,
    approvals: { membership, groups, policy, notifier, expiryMs: config.policy.requestExpiryMs },
  });
  probes.push(...secrets.probes);
  const handover = secrets.issue && ((requestId: string) => secrets.issue!.execute(requestId));
  // Approvals are signed with a key in Key Vault (docs/security.md); the bot only reads it: the worker, which may write
  // secrets, makes it at first start in the local profile, and the deploy makes it in Azure.
  const signer = secrets.vault && new VaultApprovalSigner(secrets.vault, { createIfMissing: false });
  const deliver = new DeliverNotices({
    box: handoff.notices, requests, notifier, secrets: secretNotifier, log: logger,
    finished: finishedWithHandover(notifyingProgress(notifier), notifier, handover, logger),
  });
  const notices = new SignalWatcher(handoff.bot, () => deliver.execute(), { pollMs: SIGNAL_POLL_MS, fallbackMs: FALLBACK_SWEEP_MS, log: logger });
  const { helpdesk, expiryWatch, duplicates } = composeHelpdesk({
    graph, requests, audit, clock, logger, notifier, membership, groups, policy, expiryMs: config.policy.requestExpiryMs,
    settings: { expiringWithinDays: config.policy.expiryWatchDays },
    poster: new TeamsExpiryPoster({ adapter, botAppId: config.bot.appId ?? '', conversations }),
  });
  const planOffboard = helpdesk && new PlanOffboard({ inspect: helpdesk.inspect, requests, graceDays: config.policy.offboardGraceDays });
  const offboarding = planOffboard && {
    plan: planOffboard,
    offboard: new RequestOffboard({ plan: planOffboard, requests, audit, membership, groups, notifier, policy, clock, expiryMs: config.policy.requestExpiryMs }),
    restore: new RestoreApp({ requests, audit, membership, groups, signer, clock, wakeWorker }),
  };
  reviewSubject = new ReadReviewSubject(helpdesk?.inspect);
  const { reviewSweeper, reviews } = composeReview({
    graph, requests, audit, clock, logger, membership, groups, policy, notifier, cards: new OutboxReviewCards(delivery, teamsNotifier), settings: config.review,
    expiryMs: config.policy.requestExpiryMs, inspect: helpdesk?.inspect, offboard: overrides.offboard ?? offboarding?.offboard,
  });
  const app = createTeamsApplication(adapter, {
    logger, ownTenantId: config.teams.tenantId, topics: commandWords, requests, audit, membership, groups, conversations, notifier, personalChats: teamsNotifier, render, drafts, cards, planner,
    submit: new SubmitRequest({ drafts, requests, audit, notifier, planner, policy, expiryMs: config.policy.requestExpiryMs, clock, duplicates }),
    duplicates,
    offboard: offboarding?.offboard,
    restore: offboarding?.restore,
    awaiting: new ListAwaitingDecision({ requests, membership, groups, policy, clock }),
    decide: new DecideApproval({ requests, audit, membership, groups, policy, clock, signer }),
    cancel: new CancelRequest({ requests, audit, clock }),
    // The bot only records the approval; the worker, which holds the write roles, provisions it.
    provision: () => wakeWorker().catch((error) => logger.warn({ err: error }, 'could not wake the worker; its periodic sweep picks the request up')),
    rotate: secrets.rotate,
    finishRotations: secrets.finishRotations,
    revoke: secrets.revoke,
    helpdesk,
    background,
    deliveryStatus: (requestId) => delivery.summaryLine(requestId),
    reviews,
  });
  const sweeper = new RequestSweeper(
    new SweepRequests({
      requests, audit, clock, settings: { reminderAfterMs: config.policy.reminderAfterMs },
      listener: {
        expired: (r) => notifier.changed(r, `${r.id} (${r.title}) expired without a decision. Type the request again if it is still needed.`),
        remind: (r) => notifier.reminded(r),
      },
    }),
    logger,
  );
  const { server } = createHttpServer({
    logger,
    bot: createBotEndpoint(adapter, app),
    health: { version: packageVersion, profile: config.profile, probes, detailsKey: config.health.detailsKey },
    https: config.http.publicUrl.startsWith('https:'),
    inflight,
    extraRoutes: secrets.routes,
  });
  return {
    server,
    app,
    inflight,
    sweeper,
    outboxSweeper,
    notices,
    expiryWatch,
    reviewSweeper,
    secrets,
    offboarding,
    async close() {
      await sweeper.stop();
      await outboxSweeper.stop();
      await notices.stop();
      await expiryWatch?.stop();
      await reviewSweeper?.stop();
      await secrets.sweeper?.stop();
      const drained = await inflight.idle(config.http.shutdownGraceMs);
      if (!drained) logger.warn({ inflight: inflight.size }, 'shutdown grace period ended with work in flight');
    },
  };
}
