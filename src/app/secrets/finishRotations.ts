import type { Person, RegistrationRequest } from '../../domain/request';
import { recipientOf } from '../../domain/rotation';
import type { Directory } from '../directoryPort';
import { isConcurrencyConflict } from '../errors';
import type { Clock, Versioned } from '../ports';
import type { AuditLog, RequestStore } from '../workflowPorts';

export interface RotationNotifier {
  /** The old secret no longer works: the requester hears it from Onboard, not from the vendor's error log. */
  oldSecretRemoved(notice: { requestId: string; requester: Person; appName: string; appId: string; keyIds: string[]; confirmed: boolean }): Promise<void>;
}

export interface FinishRotationsDeps {
  requests: RequestStore;
  audit: AuditLog;
  /** The worker's: removing a password is a Graph write. Absent in the bot, whose `confirm` only records. */
  directory?: Pick<Directory, 'removePassword'>;
  notifier: RotationNotifier;
  /** Tells the worker a confirmed rotation waits (the bot's side). */
  wake?: () => Promise<void>;
  clock: Clock;
  /** How long the old secret stays live after the new one was revealed. */
  graceMs: number;
}

export type ConfirmResult = { kind: 'removed' | 'already-removed' | 'confirmed'; request: RegistrationRequest } | { kind: 'refused'; message: string };

/** When the requester revealed the new secret: the grace period counts from there. */
const revealedAt = (r: RegistrationRequest) => [...r.history].reverse().find((h) => h.to === 'SecretDelivered')?.at;

/**
 * The end of a rotation: the passwords handed over before it are removed from the app once the new secret has been
 * revealed and the grace period has passed (every instance sweeps; compare-and-set marks it done once), or at once
 * when the requester confirms they switched the vendor over. A rotation whose new secret is never revealed keeps
 * the old one: its link's expiry withdraws the new password instead.
 */
export class FinishRotations {
  constructor(private readonly deps: FinishRotationsDeps) {}

  async sweep(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    let finished = 0;
    for (const current of await this.deps.requests.listInStates(['SecretDelivered'])) {
      const r = current.value;
      const at = revealedAt(r);
      if (!r.rotation || r.rotation.oldRemovedAt || !at) continue;
      const confirmed = !!r.rotation.confirmedAt;
      if (!confirmed && Date.parse(at) + this.deps.graceMs > now) continue;
      if (await this.finish(current, confirmed, r.rotation.confirmedBy)) finished++;
    }
    return finished;
  }

  async confirm(input: { requestId: string; actor: Person; correlationId: string }): Promise<ConfirmResult> {
    const current = await this.deps.requests.get(input.requestId);
    const r = current?.value;
    const refuse = async (message: string): Promise<ConfirmResult> => {
      await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action: 'rotation.confirm', outcome: 'refused', actor: input.actor, requestId: input.requestId, correlationId: input.correlationId, detail: message });
      return { kind: 'refused', message };
    };
    if (!current || !r?.rotation) return refuse('That is not a rotation Onboard knows. Type **status** to see your requests.');
    // Only whoever holds the new secret knows the vendor switched to it; anyone else removing the old one cuts the vendor off.
    const recipient = recipientOf(r);
    if (recipient.id !== input.actor.id) return refuse(`Only ${recipient.name}, who received the new secret, can confirm that the vendor uses it.`);
    if (r.rotation.oldRemovedAt) return { kind: 'already-removed', request: r };
    if (r.state !== 'SecretDelivered') return refuse('Reveal the new secret and give it to the vendor first; the old one is removed only after that.');
    if (this.deps.directory) {
      await this.finish(current, true, input.actor);
      return { kind: 'removed', request: (await this.deps.requests.get(input.requestId))!.value };
    }
    return this.record(current, input);
  }

  /** The bot's side: the confirmation is recorded on the request and the worker, which may write to Graph, removes the secret. */
  private async record(current: Versioned<RegistrationRequest>, input: { requestId: string; actor: Person; correlationId: string }): Promise<ConfirmResult> {
    const r = current.value;
    const at = this.deps.clock.now().toISOString();
    if (!r.rotation!.confirmedAt) {
      try {
        await this.deps.requests.update({ ...r, rotation: { ...r.rotation!, confirmedAt: at, confirmedBy: input.actor }, updatedAt: at }, current.etag);
      } catch (error) {
        if (!isConcurrencyConflict(error)) throw error;
        const again = await this.deps.requests.get(input.requestId);
        return again ? this.record(again, input) : { kind: 'refused', message: 'That is not a rotation Onboard knows.' };
      }
      await this.deps.audit.append({ at, action: 'rotation.confirmed', outcome: 'ok', actor: input.actor, requestId: r.id, correlationId: input.correlationId, detail: 'the requester switched the vendor to the new secret' });
    }
    await this.deps.wake?.().catch(() => undefined);
    return { kind: 'confirmed', request: r };
  }

  private async finish(current: Versioned<RegistrationRequest>, confirmed: boolean, actor?: Person): Promise<boolean> {
    const r = current.value;
    const rotation = r.rotation!;
    const appObjectId = r.provisioning?.steps.application?.id;
    if (!appObjectId || !this.deps.directory) return false;
    // Removing is idempotent, so two instances racing here both succeed; only one records it and tells the requester.
    for (const keyId of rotation.oldKeyIds) await this.deps.directory.removePassword(appObjectId, keyId);
    const at = this.deps.clock.now().toISOString();
    try {
      await this.deps.requests.update({ ...r, rotation: { ...rotation, oldRemovedAt: at }, updatedAt: at }, current.etag);
    } catch (error) {
      if (isConcurrencyConflict(error)) return false;
      throw error;
    }
    await this.deps.audit.append({ at, action: 'rotation.finished', outcome: 'ok', actor, requestId: r.id, correlationId: `rotation-${r.id}`, detail: `${confirmed ? 'confirmed by the requester' : 'grace period over'}: removed ${rotation.oldKeyIds.join(', ') || 'no'} old secret(s) from ${rotation.appId}` });
    await this.deps.notifier.oldSecretRemoved({ requestId: r.id, requester: recipientOf(r), appName: r.title.replace(/: new client secret$/, ''), appId: rotation.appId, keyIds: rotation.oldKeyIds, confirmed }).catch(() => undefined);
    return true;
  }
}
