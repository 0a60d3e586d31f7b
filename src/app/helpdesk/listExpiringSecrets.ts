import { credentials, taggedRequestId, type CredentialStatus } from '../../domain/inspection';
import type { Clock } from '../ports';
import type { AppInventory } from './appInventory';

export interface ExpiringCredential {
  app: { id: string; appId: string; displayName: string };
  requestId?: string;
  credential: CredentialStatus;
}

/** "secrets expiring in 30 days": the secrets and certificates of Onboard-made apps that end within `days`, or already ended. */
export class ListExpiringSecrets {
  constructor(private readonly deps: { inventory: AppInventory; clock: Clock }) {}

  async execute(input: { days: number }): Promise<ExpiringCredential[]> {
    const days = Math.max(0, Math.min(3650, Math.floor(input.days)));
    const now = this.deps.clock.now();
    const apps = await this.deps.inventory.onboardApps();
    return apps
      .flatMap((app) => credentials(app, now, days).filter((c) => c.state !== 'ok').map((credential) => ({
        app: { id: app.id, appId: app.appId, displayName: app.displayName }, requestId: taggedRequestId(app), credential,
      })))
      .sort((a, b) => (a.credential.end ?? '').localeCompare(b.credential.end ?? '') || a.app.displayName.localeCompare(b.app.displayName));
  }
}
