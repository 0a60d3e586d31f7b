import { hostname } from 'node:os';
import { GraphInventory } from '../adapters/graph/graphInventory';
import { GraphPermissionWriter } from '../adapters/graph/graphPermissionWriter';
import type { createGraphClient } from '../adapters/graph/graphClient';
import type { Clock } from '../app/ports';
import type { AuditLog, Membership, RequestNotifier, RequestStore } from '../app/workflowPorts';
import type { Groups } from '../app/approvals/actors';
import type { PolicySettings } from '../domain/policy';
import type { Helpdesk } from '../app/helpdesk/helpdesk';
import { InspectApp } from '../app/helpdesk/inspectApp';
import { FindPermissionHolders } from '../app/helpdesk/findPermissionHolders';
import { ListExpiringSecrets } from '../app/helpdesk/listExpiringSecrets';
import { ExpiryWatch, type ExpiryWatchPoster } from '../app/helpdesk/expiryWatch';
import { RequestDriftFix } from '../app/helpdesk/requestDriftFix';
import { ApplyDriftFix } from '../app/helpdesk/applyDriftFix';
import type { Logger } from '../logging';
import { FindDuplicates } from '../app/requests/findDuplicates';
import type { PreWriteGuard } from '../app/provisioning/preWriteGuard';

type GraphClient = ReturnType<typeof createGraphClient>['client'];

export interface HelpdeskSettings {
  /** Credentials ending within this many days are highlighted, and listed by the daily watch with Rotate buttons. */
  expiringWithinDays: number;
}

export const defaultHelpdeskSettings: HelpdeskSettings = { expiringWithinDays: 30 };

export interface HelpdeskDeps {
  graph?: GraphClient;
  requests: RequestStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  poster: ExpiryWatchPoster;
  notifier: RequestNotifier;
  membership: Membership;
  groups: Groups;
  policy: PolicySettings;
  expiryMs: number;
  settings?: HelpdeskSettings;
}

export interface HelpdeskParts {
  helpdesk?: Helpdesk;
  expiryWatch?: ExpiryWatch;
  /** Apps a new request would repeat, read through the same inventory. */
  duplicates?: FindDuplicates;
}

/** The bot's helpdesk: the use cases and the daily expiry watch, reading Graph; nothing without Graph. The fix itself is the worker's. */
export function composeHelpdesk(deps: HelpdeskDeps): HelpdeskParts {
  if (!deps.graph) return {};
  const settings = deps.settings ?? defaultHelpdeskSettings;
  const { requests, audit, clock, notifier } = deps;
  const inventory = new GraphInventory({ client: deps.graph });
  const expiring = new ListExpiringSecrets({ inventory, requests, clock });
  const inspect = new InspectApp({ inventory, requests, clock, soonDays: settings.expiringWithinDays });
  return {
    helpdesk: {
      inspect,
      holders: new FindPermissionHolders({ inventory }),
      expiring,
      fixDrift: new RequestDriftFix({ inspect, requests, audit, membership: deps.membership, groups: deps.groups, notifier, policy: deps.policy, clock, expiryMs: deps.expiryMs }),
    },
    expiryWatch: new ExpiryWatch({ list: expiring, poster: deps.poster, audit, clock, days: settings.expiringWithinDays, log: deps.logger }),
    duplicates: new FindDuplicates({ inventory }),
  };
}

/** The worker's drift fix: an approved change of an existing app's permissions, written with the worker's Graph client. */
export function composeDriftFix(deps: { graph: GraphClient; requests: RequestStore; audit: AuditLog; notifier: RequestNotifier; clock: Clock; guard: PreWriteGuard }): ApplyDriftFix {
  return new ApplyDriftFix({ ...deps, writer: new GraphPermissionWriter(deps.graph), owner: `${hostname()}-${process.pid}` });
}
