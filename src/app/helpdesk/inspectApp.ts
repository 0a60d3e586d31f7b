import { GUID } from '../../domain/commandWords';
import { credentials, isOnboardManaged, onboardRequestId, permissionRows, suggestNames, type AppRecord, type CredentialStatus, type PermissionRow } from '../../domain/inspection';
import { driftOf, referenceFromPlan, referenceFromRecipe, vendorOf, type Drift } from '../../domain/drift';
import type { Actor } from '../../domain/policy';
import type { Clock } from '../ports';
import type { RequestStore } from '../workflowPorts';
import type { AppInventory } from './appInventory';

export interface Inspection {
  app: AppRecord;
  owners: { id: string; displayName: string }[];
  servicePrincipalId?: string;
  /** Set when Onboard made the app. */
  requestId?: string;
  managedByOnboard: boolean;
  /** Whether the app is meant to have a client secret: its approved plan says so, or it has one now. */
  usesSecret: boolean;
  vendor?: string;
  permissions: PermissionRow[];
  /** Absent when the app is neither Onboard's nor a known vendor's: there is nothing to compare with. */
  drift?: Drift;
  credentials: CredentialStatus[];
  inspectedAt: string;
}

export type InspectOutcome =
  | { kind: 'found'; inspection: Inspection }
  | { kind: 'ambiguous'; target: string; choices: Pick<AppRecord, 'id' | 'appId' | 'displayName' | 'createdDateTime'>[] }
  | { kind: 'not-found'; target: string; suggestions: string[] };

export interface InspectAppDeps {
  inventory: AppInventory;
  requests: RequestStore;
  clock: Clock;
  /** Credentials ending within this many days are "expiring soon". */
  soonDays: number;
}

const MAX_CHOICES = 10;

/** "check Miradore": finds the app (by appId, object id or name), reads it, and compares it with its reference. */
export class InspectApp {
  constructor(private readonly deps: InspectAppDeps) {}

  /** The caller has been authorized (helpdeskActor) by the inbound adapter. */
  async execute(input: { target: string; actor: Actor }): Promise<InspectOutcome> {
    const target = input.target.trim().replace(/^["']|["']$/g, '');
    const found = await this.find(target);
    if (found.kind !== 'one') return found.outcome;
    return { kind: 'found', inspection: await this.inspect(found.app) };
  }

  async inspect(app: AppRecord): Promise<Inspection> {
    const now = this.deps.clock.now();
    const snapshot = await this.deps.inventory.snapshot(app);
    const permissions = permissionRows(snapshot);
    const requestId = onboardRequestId(app);
    const stored = requestId ? await this.deps.requests.get(requestId) : undefined;
    const reference = (stored && referenceFromPlan(stored.value.plan, requestId!, app.appId)) ?? (() => {
      const recipe = vendorOf(app);
      return recipe ? referenceFromRecipe(recipe, app.appId) : undefined;
    })();
    return {
      app, owners: snapshot.owners, servicePrincipalId: snapshot.servicePrincipalId, requestId, managedByOnboard: isOnboardManaged(app),
      usesSecret: (stored?.value.plan as { secret?: { issue?: boolean } } | undefined)?.secret?.issue === true || app.passwords.length > 0,
      vendor: stored?.value.vendor ?? vendorOf(app)?.name, permissions, drift: reference ? driftOf(app, permissions, reference) : undefined,
      credentials: credentials(app, now, this.deps.soonDays), inspectedAt: now.toISOString(),
    };
  }

  private async find(target: string): Promise<{ kind: 'one'; app: AppRecord } | { kind: 'answer'; outcome: InspectOutcome }> {
    const inventory = this.deps.inventory;
    const matches = GUID.test(target) ? await inventory.findById(target.toLowerCase()) : await inventory.findByName(target, MAX_CHOICES + 1);
    const exact = matches.filter((a) => a.displayName.toLowerCase() === target.toLowerCase());
    if (matches.length === 1 || exact.length === 1) return { kind: 'one', app: exact.length === 1 ? exact[0] : matches[0] };
    if (matches.length > 1) {
      const choices = matches.slice(0, MAX_CHOICES).map(({ id, appId, displayName, createdDateTime }) => ({ id, appId, displayName, createdDateTime }));
      return { kind: 'answer', outcome: { kind: 'ambiguous', target, choices } };
    }
    const suggestions = GUID.test(target) ? [] : suggestNames(target, await inventory.allNames(), 3);
    return { kind: 'answer', outcome: { kind: 'not-found', target, suggestions } };
  }
}
