import { GraphInventory } from './adapters/graph/graphInventory';
import type { createGraphClient } from './adapters/graph/graphClient';
import type { Clock } from './app/ports';
import type { RequestStore } from './app/workflowPorts';
import type { Helpdesk } from './app/helpdesk/helpdesk';
import { InspectApp } from './app/helpdesk/inspectApp';
import { FindPermissionHolders } from './app/helpdesk/findPermissionHolders';

export interface HelpdeskSettings {
  /** Credentials ending within this many days are highlighted, listed by the daily watch, and offered for rotation. */
  expiringWithinDays: number;
}

export const defaultHelpdeskSettings: HelpdeskSettings = { expiringWithinDays: 30 };

type GraphClient = ReturnType<typeof createGraphClient>['client'];

/** The helpdesk use cases over the Graph inventory; nothing without Graph. */
export function composeHelpdesk(deps: { graph?: GraphClient; requests: RequestStore; clock: Clock; settings?: HelpdeskSettings }): { helpdesk?: Helpdesk } {
  if (!deps.graph) return {};
  const settings = deps.settings ?? defaultHelpdeskSettings;
  const inventory = new GraphInventory({ client: deps.graph });
  return {
    helpdesk: {
      inspect: new InspectApp({ inventory, requests: deps.requests, clock: deps.clock, soonDays: settings.expiringWithinDays }),
      holders: new FindPermissionHolders({ inventory }),
    },
  };
}
