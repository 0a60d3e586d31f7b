import { hostname } from 'node:os';
import { GraphInventory } from './adapters/graph/graphInventory';
import { GraphPermissionWriter } from './adapters/graph/graphPermissionWriter';
import type { createGraphClient } from './adapters/graph/graphClient';
import type { Clock } from './app/ports';
import type { AuditLog, Membership, RequestNotifier, RequestStore } from './app/workflowPorts';
import type { Groups } from './app/approvals/actors';
import type { PolicySettings } from './domain/policy';
import type { Helpdesk } from './app/helpdesk/helpdesk';
import { InspectApp } from './app/helpdesk/inspectApp';
import { FindPermissionHolders } from './app/helpdesk/findPermissionHolders';
import { ListExpiringSecrets } from './app/helpdesk/listExpiringSecrets';
import { ExpiryWatch, type ExpiryWatchPoster } from './app/helpdesk/expiryWatch';
import { RequestDriftFix } from './app/helpdesk/requestDriftFix';
import { ApplyDriftFix } from './app/helpdesk/applyDriftFix';
import type { Logger } from './logging';
import type { PreWriteGuard } from './app/provisioning/preWriteGuard';
import { FindDuplicates } from './app/requests/findDuplicates';

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
  /** The drift fix re-checks its request before any write, as the saga does. */
  guard: PreWriteGuard;
  settings?: HelpdeskSettings;
}

export interface HelpdeskParts {
  helpdesk?: Helpdesk;
  expiryWatch?: ExpiryWatch;
  applyDriftFix?: ApplyDriftFix;
  /** Apps a new request would repeat, read through the same inventory. */
  duplicates?: FindDuplicates;
}

/** The helpdesk use cases, the daily expiry watch and the drift fix, over Graph; nothing without Graph. */
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
    applyDriftFix: new ApplyDriftFix({ requests, audit, writer: new GraphPermissionWriter(deps.graph), notifier, clock, owner: `${hostname()}-${process.pid}`, guard: deps.guard }),
  };
}
