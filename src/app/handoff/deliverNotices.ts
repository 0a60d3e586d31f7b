import type { ProvisioningProgress } from '../provisioningPorts';
import type { RequestNotifier, RequestStore } from '../workflowPorts';
import type { SecretLinkNotifier } from '../secrets/secretLinkPorts';
import type { RotationNotifier } from '../secrets/finishRotations';
import type { NoticeBox } from './handoffPorts';

interface Log {
  warn(object: object, message: string): void;
}

export interface DeliverNoticesDeps {
  box: NoticeBox;
  requests: RequestStore;
  notifier: RequestNotifier;
  secrets: Pick<SecretLinkNotifier, 'linkExpired'> & RotationNotifier;
  /** What the bot says when a saga has finished (and then the one-time link). */
  finished: ProvisioningProgress['finished'];
  log: Log;
}

/**
 * The bot's side of the worker's notices: each is said once, with the request as it is now. A notice that
 * cannot be said is logged and dropped: cards are refreshed on the next change, and the handover has its own
 * sweep ("handovers owed"), so nothing that matters rests on one message.
 */
export class DeliverNotices {
  constructor(private readonly deps: DeliverNoticesDeps) {}

  async execute(): Promise<number> {
    let delivered = 0;
    for (let batch = await this.deps.box.take(50); batch.length; batch = await this.deps.box.take(50)) {
      for (const notice of batch) {
        try {
          await this.deliver(notice);
          delivered++;
        } catch (error) {
          this.deps.log.warn({ kind: notice.kind, error: (error as Error)?.name, status: (error as { statusCode?: number })?.statusCode }, 'a notice from the worker could not be delivered');
        }
      }
    }
    return delivered;
  }

  private async deliver(notice: Parameters<NoticeBox['post']>[0]): Promise<void> {
    switch (notice.kind) {
      case 'linkExpired': return this.deps.secrets.linkExpired(notice.notice);
      case 'oldSecretRemoved': return this.deps.secrets.oldSecretRemoved(notice.notice);
      default: {
        const request = (await this.deps.requests.get(notice.requestId))?.value;
        if (!request) return;
        if (notice.kind === 'finished') return this.deps.finished(request);
        if (notice.kind === 'submitted') {
          // Decided already (or expired) by the time the bot hears of it: approval cards would offer stale buttons.
          if (request.state === 'PendingApproval') await this.deps.notifier.submitted(request);
          return;
        }
        return this.deps.notifier.changed(request, notice.message);
      }
    }
  }
}
