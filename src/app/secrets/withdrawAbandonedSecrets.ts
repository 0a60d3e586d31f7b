import { passwordDisplayName } from '../../domain/provisioning';
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
 * A saga that failed after adding the password (and perhaps vaulting it), whose request was then cancelled,
 * leaves a live secret that no link will ever hand over. This removes every password of that request from the
 * app (found by its display name, so one whose creation was never recorded goes too) and purges the vault entry.
 */
export class WithdrawAbandonedSecrets {
  constructor(private readonly deps: WithdrawAbandonedSecretsDeps) {}

  async sweep(): Promise<number> {
    let withdrawn = 0;
    for (const current of await this.deps.requests.listInStates(['Cancelled'])) {
      if (abandoned(current.value) && (await this.withdraw(current))) withdrawn++;
    }
    return withdrawn;
  }

  private async withdraw(current: Versioned<RegistrationRequest>): Promise<boolean> {
    const request = current.value;
    const steps = request.provisioning!.steps;
    const appObjectId = steps.application!.id;
    const ours = (await this.deps.directory.listPasswords(appObjectId)).filter((p) => p.displayName === passwordDisplayName(request.id));
    for (const p of ours) await this.deps.directory.removePassword(appObjectId, p.keyId);
    if (steps.vault) await this.deps.vault.destroy(steps.vault.name);
    const at = this.deps.clock.now().toISOString();
    try {
      await this.deps.requests.update({ ...request, handover: { ...request.handover, withdrawnAt: at } }, current.etag);
    } catch (error) {
      if (isConcurrencyConflict(error)) return false;
      throw error;
    }
    await this.deps.audit.append({ at, action: 'secret.withdrawn', outcome: 'ok', requestId: request.id, correlationId: `withdraw-${request.id}`, detail: `request cancelled before its secret was handed over: removed ${ours.map((p) => p.keyId).join(', ') || 'no'} password(s)${steps.vault ? `, purged ${steps.vault.name}` : ''}` });
    return true;
  }
}

function abandoned(request: RegistrationRequest): boolean {
  const record = request.provisioning;
  return !!record?.steps.application && (!!record.steps.password || !!record.passwordPending) && !request.handover?.withdrawnAt;
}
