import type { LocalCloud } from '../../src/localcloud';
import type { GraphCallRecord } from '../../src/adapters/graph/graphClient';
import { GraphInventory } from '../../src/adapters/graph/graphInventory';
import { InspectApp } from '../../src/app/helpdesk/inspectApp';
import { systemClock, type Clock } from '../../src/app/ports';
import type { RequestStore } from '../../src/app/workflowPorts';
import type { Actor } from '../../src/domain/policy';
import { credentialFor } from '../localcloud/helpers';

export const helpdeskActor: Actor = { id: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer', isApprover: false, isHelpdesk: true };

/** The helpdesk use cases over the production Graph adapter, as the bot's identity, counting every Graph request. */
export function helpdeskStack(cloud: LocalCloud, requests: RequestStore, clock: Clock = systemClock) {
  const calls: GraphCallRecord[] = [];
  const inventory = new GraphInventory({ credential: credentialFor(cloud), baseUrl: cloud.graphBaseUrl, retry: { delaySeconds: 0.2, maxRetries: 2 }, observe: (c) => calls.push(c) });
  const inspect = new InspectApp({ inventory, requests, clock, soonDays: 30 });
  return { inventory, inspect, calls, requests };
}

/** Graph requests made while `work` ran. */
export async function counted<T>(calls: GraphCallRecord[], work: () => Promise<T>): Promise<{ result: T; requests: GraphCallRecord[] }> {
  const before = calls.length;
  const result = await work();
  return { result, requests: calls.slice(before) };
}
