import { credentials, type CredentialStatus } from '../../domain/inspection';
import type { Clock } from '../ports';
import type { RequestStore } from '../workflowPorts';
import type { AppInventory } from './appInventory';
import { requestThatMade } from './onboardOrigin';

export interface ExpiringCredential {
  app: { id: string; appId: string; displayName: string };
  requestId?: string;
  credential: CredentialStatus;
}

/** "secrets expiring in 30 days": the secrets and certificates of Onboard-made apps that end within `days`, or already ended. */
export class ListExpiringSecrets {
  constructor(private readonly deps: { inventory: AppInventory; requests: RequestStore; clock: Clock }) {}

  async execute(input: { days: number }): Promise<ExpiringCredential[]> {
    const days = Math.max(0, Math.min(3650, Math.floor(input.days)));
    const now = this.deps.clock.now();
    // The `onboard` tag only narrows the directory query; an app counts as Onboard's when its records say so, so a
    // stranger's app tagged `onboard:request:<id>` is not posted to the approvers with that request's name.
    const tagged = await this.deps.inventory.onboardApps();
    const soon = tagged.map((app) => ({ app, ending: credentials(app, now, days).filter((c) => c.state !== 'ok') })).filter((a) => a.ending.length);
    const made = await Promise.all(soon.map((a) => requestThatMade(this.deps.requests, a.app)));
    return soon
      .flatMap(({ app, ending }, i) => (made[i] ? ending.map((credential) => ({ app: { id: app.id, appId: app.appId, displayName: app.displayName }, requestId: made[i]!.id, credential })) : []))
      .sort((a, b) => (a.credential.end ?? '').localeCompare(b.credential.end ?? '') || a.app.displayName.localeCompare(b.app.displayName));
  }
}
