import { GUID } from '../../domain/commandWords';
import { credentials, isTaggedOnboard, permissionRows, suggestNames, taggedRequestId, type AppRecord, type CredentialStatus, type PermissionRow } from '../../domain/inspection';
import { driftOf, recipeForAppId, referenceFromPlan, referenceFromRecipe, vendorOf, type Drift } from '../../domain/drift';
import type { Recipe } from '../../domain/catalog/recipeSchema';
import { recipes } from '../../domain/catalog/recipes';
import { requestThatMade } from './onboardOrigin';
import type { Actor } from '../../domain/policy';
import type { Clock } from '../ports';
import type { RequestStore } from '../workflowPorts';
import type { AppInventory } from './appInventory';

export interface Inspection {
  app: AppRecord;
  owners: { id: string; displayName: string }[];
  servicePrincipalId?: string;
  /** Set when Onboard's own records say its saga created the app (RequestStore.findByApplication). */
  requestId?: string;
  managedByOnboard: boolean;
  /**
   * What the app's tags claim (`onboard`, `onboard:request:<id>`) when the records do not back it: shown so helpdesk
   * sees the claim, never used to decide anything.
   */
  taggedAs?: { onboard: boolean; requestId?: string };
  /** A vendor the display name or tags suggest, when no record or allow-list says which vendor it is. */
  vendorHint?: string;
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
  /** The recipes whose `knownAppIds` may make one the reference of an app Onboard did not create; the seeds by default. */
  recipes?: () => readonly Recipe[];
}

/** Onboard's records decide; a tag that claims more is shown as a claim, so helpdesk can spot a look-alike. */
export function madeByOnboard(inspection: Pick<Inspection, 'requestId' | 'taggedAs'>): string {
  if (inspection.requestId) return `yes, request ${inspection.requestId}`;
  const claim = inspection.taggedAs;
  if (!claim) return 'no';
  return `no: tagged ${claim.requestId ? `onboard:request:${claim.requestId}` : 'onboard'}, but Onboard's records show no such app`;
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
    // Only a registration can have been created by Onboard; an enterprise app's `id` is a service principal's.
    const [snapshot, stored] = await Promise.all([this.deps.inventory.snapshot(app), requestThatMade(this.deps.requests, app)]);
    const permissions = permissionRows(snapshot);
    const recipe = stored ? undefined : recipeForAppId(app.appId, (this.deps.recipes ?? recipes)());
    const reference = stored ? referenceFromPlan(stored.plan, stored.id, app.appId) : recipe ? referenceFromRecipe(recipe, app.appId) : undefined;
    const tagged = { onboard: isTaggedOnboard(app), requestId: taggedRequestId(app) };
    const hint = stored || recipe ? undefined : vendorOf(app)?.name;
    return {
      app, owners: snapshot.owners, servicePrincipalId: snapshot.servicePrincipalId, requestId: stored?.id, managedByOnboard: !!stored,
      taggedAs: !stored && (tagged.onboard || tagged.requestId) ? tagged : undefined,
      usesSecret: (stored?.plan as { secret?: { issue?: boolean } } | undefined)?.secret?.issue === true || app.passwords.length > 0,
      vendor: stored?.vendor ?? recipe?.name, vendorHint: hint, permissions, drift: reference ? driftOf(app, permissions, reference) : undefined,
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
