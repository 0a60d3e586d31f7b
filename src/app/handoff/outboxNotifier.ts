import type { RegistrationRequest } from '../../domain/request';
import type { ProvisioningProgress } from '../provisioningPorts';
import type { RequestNotifier } from '../workflowPorts';
import type { ExpiredLinkNotice, LinkIssuedNotice, NotDeliveredNotice, SecretLinkNotifier } from '../secrets/secretLinkPorts';
import type { RotationNotifier } from '../secrets/finishRotations';
import type { Notice, NoticeBox, Signal } from './handoffPorts';

/**
 * The worker's notifier: every message goes into the notice box for the bot, which holds the Bot Framework
 * identity, and the bot is poked. What only the bot can do (issue a link, which needs to know who can be
 * reached in Teams) is never asked of the worker; if it were, that is a wiring bug, so it throws.
 */
export class OutboxNotifier implements RequestNotifier, SecretLinkNotifier, RotationNotifier {
  constructor(private readonly box: NoticeBox, private readonly bot: Signal) {}

  async send(notice: Notice): Promise<void> {
    await this.box.post(notice);
    // A failed poke only delays the message until the bot's next periodic look.
    await this.bot.poke().catch(() => undefined);
  }

  changed(request: RegistrationRequest, message: string): Promise<void> {
    return this.send({ kind: 'changed', requestId: request.id, message });
  }

  linkExpired(notice: ExpiredLinkNotice): Promise<void> {
    return this.send({ kind: 'linkExpired', notice });
  }

  oldSecretRemoved(notice: Extract<Notice, { kind: 'oldSecretRemoved' }>['notice']): Promise<void> {
    return this.send({ kind: 'oldSecretRemoved', notice });
  }

  /** Where the cards go is the bot's to work out when it sends them; nothing has gone anywhere yet. */
  async submitted(request: RegistrationRequest): Promise<{ delivered: number; where: 'nowhere' }> {
    await this.send({ kind: 'submitted', requestId: request.id });
    return { delivered: 0, where: 'nowhere' };
  }

  reminded(): Promise<void> {
    return Promise.reject(new Error('the worker sends no reminders'));
  }

  canReach(): Promise<boolean> {
    return Promise.reject(new Error('the worker cannot see Teams; the bot issues links'));
  }

  unreachable(): Promise<void> {
    return Promise.reject(new Error('the worker cannot see Teams; the bot issues links'));
  }

  linkIssued(_notice: LinkIssuedNotice): Promise<void> {
    return Promise.reject(new Error('the worker cannot see Teams; the bot issues links'));
  }

  notDelivered(_notice: NotDeliveredNotice): Promise<void> {
    return Promise.reject(new Error('the worker cannot see Teams; the bot issues links'));
  }
}

/** The saga's progress, as notices: each step updates the cards; the end is said by the bot, which then issues the link. */
export function outboxProgress(outbox: OutboxNotifier): ProvisioningProgress {
  return {
    stepDone: (request) => outbox.changed(request, ''),
    finished: (request) => outbox.send({ kind: 'finished', requestId: request.id }),
    failed: (request) => outbox.changed(request, `${request.id} (${request.title}) could not be provisioned: ${request.failure?.message ?? 'unknown error'}`),
  };
}
