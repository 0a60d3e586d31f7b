import { GraphInventory } from './adapters/graph/graphInventory';
import type { createGraphClient } from './adapters/graph/graphClient';
import type { Clock } from './app/ports';
import type { AuditLog, RequestStore } from './app/workflowPorts';
import type { Helpdesk } from './app/helpdesk/helpdesk';
import { InspectApp } from './app/helpdesk/inspectApp';
import { FindPermissionHolders } from './app/helpdesk/findPermissionHolders';
import { ListExpiringSecrets } from './app/helpdesk/listExpiringSecrets';
import { ExpiryWatch, type ExpiryWatchPoster } from './app/helpdesk/expiryWatch';
import type { Logger } from './logging';

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
  settings?: HelpdeskSettings;
}

/** The helpdesk use cases and the daily expiry watch, over the Graph inventory; nothing without Graph. */
export function composeHelpdesk(deps: HelpdeskDeps): { helpdesk?: Helpdesk; expiryWatch?: ExpiryWatch } {
  if (!deps.graph) return {};
  const settings = deps.settings ?? defaultHelpdeskSettings;
  const inventory = new GraphInventory({ client: deps.graph });
  const expiring = new ListExpiringSecrets({ inventory, clock: deps.clock });
  return {
    helpdesk: {
      inspect: new InspectApp({ inventory, requests: deps.requests, clock: deps.clock, soonDays: settings.expiringWithinDays }),
      holders: new FindPermissionHolders({ inventory }),
      expiring,
    },
    expiryWatch: new ExpiryWatch({ list: expiring, poster: deps.poster, audit: deps.audit, clock: deps.clock, days: settings.expiringWithinDays, log: deps.logger }),
  };
}
