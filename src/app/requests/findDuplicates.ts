import type { AppRecord } from '../../domain/inspection';
import type { AppInventory } from '../helpdesk/appInventory';

/** An app already in the tenant that a new request would repeat, as the preview lists it. */
export interface ExistingApp {
  displayName: string;
  appId: string;
  createdDateTime: string | null;
  madeByOnboard: boolean;
}

/** Read-only: the tenant's registrations by name (the helpdesk inventory, Microsoft Graph in production). */
export type ExistingApps = Pick<AppInventory, 'findByName'>;

const LIMIT = 10;

/**
 * Apps that already exist for the vendor, or under the app name, whoever made them. Advisory only: names
 * and tags can be set by anyone who registers an app, so this warns and asks, it never authorises anything.
 */
export class FindDuplicates {
  constructor(private readonly deps: { inventory: ExistingApps }) {}

  async execute(plan: { vendor: string; vendorId: string; displayName: string }): Promise<ExistingApp[]> {
    const names = [...new Set([plan.displayName, ...(plan.vendorId === 'custom' ? [] : [plan.vendor])].map((n) => n.trim()).filter(Boolean))];
    const found = new Map<string, AppRecord>();
    for (const name of names) {
      for (const app of await this.deps.inventory.findByName(name, LIMIT)) {
        if (app.kind === 'enterprise') continue;
        // The display name: equal for a custom app; for a vendor, any app named after it ("Cirrus Connect (contoso…)").
        const same = app.displayName.toLowerCase() === plan.displayName.toLowerCase() || (plan.vendorId !== 'custom' && app.displayName.toLowerCase().startsWith(plan.vendor.toLowerCase()));
        if (same) found.set(app.appId, app);
      }
    }
    return [...found.values()]
      .sort((a, b) => (a.createdDateTime ?? '').localeCompare(b.createdDateTime ?? ''))
      .map((app) => ({ displayName: app.displayName, appId: app.appId, createdDateTime: app.createdDateTime, madeByOnboard: app.tags.includes('onboard') }));
  }
}
