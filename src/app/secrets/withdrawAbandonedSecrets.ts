import { handoverSecretName, passwordDisplayName } from '../../domain/provisioning';
import type { RegistrationRequest } from '../../domain/request';
import type { Directory } from '../directoryPort';
import { isConcurrencyConflict } from '../errors';
import type { Clock, Versioned } from '../ports';
import type { SecretVault } from '../secretVaultPort';
import type { AuditLog, RequestStore } from '../workflowPorts';

export interface WithdrawAbandonedSecretsDeps {
  requests: RequestStore;
  vault: SecretVault;
  directory: Pick<Directory, 'listPasswords' | 'removePassword'>;
  audit: AuditLog;
  clock: Clock;
}

/**
 * A saga that failed after adding the password (and perhaps vaulting it) leaves a live secret that no link hands
 * over until someone presses Retry. Once that can no longer happen (the request was cancelled, or the failure is
 * not retryable) or the vault entry's time is up, this removes every password of that request from the app (found
 * by its display name, so one whose creation was never recorded goes too), purges the vault entry, and forgets
 * both in the saga's record: a later Retry then issues a fresh secret.
 */
export class WithdrawAbandonedSecrets {
  constructor(private readonly deps: WithdrawAbandonedSecretsDeps) {}

  async sweep(): Promise<number> {
    let withdrawn = 0;
    const now = this.deps.clock.now();
    for (const current of await this.deps.requests.listInStates(['Cancelled', 'Failed'])) {
      if (abandoned(current.value, now) && (await this.withdraw(current))) withdrawn++;
    }
    return withdrawn;
  }

  /**
   * The record changes first (compare-and-set), marking the outcome unknown as the saga does before addPassword:
   * a Retry racing in, or this sweep after a crash, then removes our passwords by name before anything else.
   */
  private async withdraw(current: Versioned<RegistrationRequest>): Promise<boolean> {
    const request = current.value;
    const record = request.provisioning!;
    const appObjectId = record.steps.application!.id;
    const displayName = passwordDisplayName(request.id);
    const at = this.deps.clock.now().toISOString();
    const marked = { ...record, passwordPending: { displayName, at }, steps: { ...record.steps, password: undefined, vault: undefined } };
    try {
      await this.deps.requests.update({ ...request, provisioning: marked, handover: { ...request.handover, withdrawnAt: at } }, current.etag);
    } catch (error) {
      if (isConcurrencyConflict(error)) return false;
      throw error;
    }
    const ours = (await this.deps.directory.listPasswords(appObjectId)).filter((p) => p.displayName === displayName);
    for (const p of ours) await this.deps.directory.removePassword(appObjectId, p.keyId);
    await this.deps.vault.destroy(handoverSecretName(request.id));
    await this.settle(request.id, at);
    await this.deps.audit.append({ at, action: 'secret.withdrawn', outcome: 'ok', requestId: request.id, correlationId: `withdraw-${request.id}`, detail: `request ${request.state.toLowerCase()} before its secret was handed over: removed ${ours.map((p) => p.keyId).join(', ') || 'no'} password(s) and the vault entry` });
    return true;
  }

  /** Clears our "outcome unknown" mark, unless a Retry took the request meanwhile (its saga then owns the mark). */
  private async settle(requestId: string, at: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.deps.requests.get(requestId);
      const r = current?.value;
      if (!r?.provisioning || r.provisioning.passwordPending?.at !== at || (r.state !== 'Cancelled' && r.state !== 'Failed')) return;
      try {
        await this.deps.requests.update({ ...r, provisioning: { ...r.provisioning, passwordPending: undefined } }, current!.etag);
        return;
      } catch (error) {
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
  }
}

function abandoned(request: RegistrationRequest, now: Date): boolean {
  const record = request.provisioning;
  if (!record?.steps.application || (!record.steps.password && !record.passwordPending)) return false;
  if (request.state === 'Cancelled' || request.failure?.retryable === false) return true;
  // A withdrawal that stopped half way (the process died) is finished by the next sweep.
  if (record.passwordPending && request.handover?.withdrawnAt && record.passwordPending.at === request.handover.withdrawnAt) return true;
  const expiresAt = record.steps.vault?.expiresAt;
  return !!expiresAt && Date.parse(expiresAt) <= now.getTime();
}
