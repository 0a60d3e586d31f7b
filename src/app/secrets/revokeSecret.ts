import type { Person, RegistrationRequest } from '../../domain/request';
import { resolveActor, type Groups } from '../approvals/actors';
import type { Directory } from '../directoryPort';
import type { Clock } from '../ports';
import type { AuditLog, Membership, RequestStore } from '../workflowPorts';
import { isConcurrencyConflict } from '../errors';
import type { LinkStore } from './secretLinkPorts';
import { findApp, HANDOVER_PREFIX, type RequestRotation, type RotationResult } from './requestRotation';

export interface RevokeSecretDeps {
  requests: RequestStore;
  audit: AuditLog;
  /** Graph writes go through the port, so this runs wherever Onboard's writes run. */
  directory: Pick<Directory, 'listPasswords' | 'removePassword'>;
  membership: Membership;
  groups: Groups;
  clock: Clock;
  /** The new secret comes through the usual approval. */
  rotate: Pick<RequestRotation, 'execute'>;
  /** Unrevealed links of the removed passwords are withdrawn, so none reveals a dead value. */
  links: Pick<LinkStore, 'get' | 'update'>;
}

export type RevokeTarget = { kind: 'target'; request: RegistrationRequest; appId: string; appName: string; vendor?: string } | { kind: 'refused'; message: string };

export type RevokeResult =
  | { kind: 'revoked'; appName: string; vendor?: string; removed: string[]; rotation: RotationResult }
  | { kind: 'refused'; message: string };

/**
 * "revoke secret for <app>": the requester (or an approver) says the secret may be exposed. Every password Onboard
 * handed over for the app is removed at once, with no grace period, and a rotation starts through approval. The
 * vendor's connection fails until the new secret is in place; the confirmation card says so before anything happens.
 */
export class RevokeSecret {
  constructor(private readonly deps: RevokeSecretDeps) {}

  /** What the confirmation card names; also the authorization check, so nobody else is even asked to confirm. */
  async target(input: { target: string; actor: Person }): Promise<RevokeTarget> {
    const target = input.target.trim().replace(/^["“]|["”]$/g, '');
    const created = (await this.deps.requests.listInStates(['Provisioned', 'SecretDelivered'])).map((v) => v.value)
      .filter((r) => !r.rotation && r.provisioning?.steps.application);
    const matches = findApp(created, target);
    if (matches.length === 0) return { kind: 'refused', message: `Onboard did not register an app called "${target.slice(0, 80)}", so it cannot revoke its secret: remove the secret in the Entra admin center (App registrations › Certificates & secrets).` };
    if (matches.length > 1) return { kind: 'refused', message: `Several apps match "${target.slice(0, 80)}": ${matches.slice(0, 5).map((r) => `${r.title} (${r.id})`).join(', ')}. Say which: for example **revoke secret for ${matches[0].id}**.` };
    const origin = matches[0];
    if ((origin.plan as { secret?: { issue?: boolean } })?.secret?.issue !== true) return { kind: 'refused', message: `${origin.title} has no client secret from Onboard to revoke.` };
    const actor = await resolveActor(input.actor, this.deps.membership, this.deps.groups);
    if (actor.id !== origin.requester.id && !actor.isApprover) return { kind: 'refused', message: `Only ${origin.requester.name}, who requested ${origin.title}, or an approver can revoke its secret.` };
    return { kind: 'target', request: origin, appId: origin.provisioning!.steps.application!.appId, appName: origin.title, vendor: origin.vendor };
  }

  /** After confirmation: checked again (the card is untrusted), then the passwords go, then the rotation starts. */
  async execute(input: { appId: string; actor: Person; correlationId: string }): Promise<RevokeResult> {
    const at = () => this.deps.clock.now().toISOString();
    const found = await this.target({ target: input.appId, actor: input.actor });
    if (found.kind === 'refused') {
      await this.deps.audit.append({ at: at(), action: 'secret.revoke', outcome: 'refused', actor: input.actor, correlationId: input.correlationId, detail: found.message.slice(0, 200) });
      return found;
    }
    const app = found.request.provisioning!.steps.application!;
    const live = (await this.deps.directory.listPasswords(app.id)).filter((p) => p.displayName?.startsWith(HANDOVER_PREFIX)).map((p) => p.keyId);
    for (const keyId of live) await this.deps.directory.removePassword(app.id, keyId);
    const withdrawn = await this.withdrawLinks(found.request, new Set(live));
    await this.deps.audit.append({ at: at(), action: 'secret.revoked', outcome: 'ok', actor: input.actor, requestId: found.request.id, correlationId: input.correlationId, detail: `removed ${live.length} Onboard secret(s) from ${app.appId} at once, no grace period: ${live.join(', ') || 'none was live'}; ${withdrawn} unrevealed link(s) withdrawn` });
    // The removal is the worker's (an order it carries out within a poll): the rotation is told which passwords are
    // going, so it keeps none of them for a grace period, whether or not the worker has removed them yet.
    const rotation = await this.deps.rotate.execute({ target: found.request.id, actor: input.actor, correlationId: input.correlationId, revoking: live });
    return { kind: 'revoked', appName: found.appName, vendor: found.vendor, removed: live, rotation };
  }

  /**
   * The app's unrevealed links (its own request's and its rotations') whose password was just removed become
   * expired, with the password's removal and the requester's notice marked done: the link sweeper only purges the
   * vault entry, and the page says the link no longer works.
   */
  private async withdrawLinks(origin: RegistrationRequest, removed: Set<string>): Promise<number> {
    const provisioned = (await this.deps.requests.listInStates(['Provisioned'])).map((v) => v.value);
    const hashes = [origin, ...provisioned.filter((r) => r.rotation?.ofRequestId === origin.id)].map((r) => r.handover?.tokenHash).filter((h): h is string => !!h);
    let withdrawn = 0;
    for (const hash of new Set(hashes)) {
      const found = await this.deps.links.get(hash);
      if (!found || found.value.state !== 'unused' || !removed.has(found.value.keyId)) continue;
      const now = this.deps.clock.now().toISOString();
      try {
        await this.deps.links.update({ ...found.value, state: 'expired', expiredAt: now, cleanup: { credentialRemovedAt: now, requesterNotifiedAt: now } }, found.etag);
        withdrawn++;
      } catch (error) {
        // Revealed or expired meanwhile: the value shown (if any) is dead already; nothing more to do.
        if (!isConcurrencyConflict(error)) throw error;
      }
    }
    return withdrawn;
  }
}
