import type { DeliveryChannel, SendOutcome } from '../app/delivery/outbox';
import type { Delivery, DeliveryKind } from '../domain/delivery';
import type { RegistrationRequest } from '../domain/request';
import type { TeamsRequestNotifier } from './notifier';
import type { TeamsReviewCards } from './reviewCards';

/**
 * The outbox's Teams side. The connector answers 403 when a person blocked the bot or the tenant disabled it,
 * and 404 when the conversation is gone (the app was removed): sending again cannot help, so that recipient
 * is unreachable. Anything else (5xx, 429, a network error) is worth another try.
 */
export class TeamsDeliveryChannel implements DeliveryChannel {
  constructor(private readonly notifier: TeamsRequestNotifier, private readonly reviewCards?: Pick<TeamsReviewCards, 'render'>) {}

  recipients(request: RegistrationRequest, _kind: Exclude<DeliveryKind, 'notice'>) {
    return this.notifier.approvalRecipients(request);
  }

  async send(row: Delivery, request: RegistrationRequest): Promise<SendOutcome> {
    const reminder = row.kind === 'reminder';
    try {
      if (row.kind === 'review' || row.kind === 'review-escalation') return await this.sendReview(row, request);
      if (row.recipient.kind === 'channel') {
        return (await this.notifier.toChannel(request, reminder)) ? { kind: 'sent' } : { kind: 'unreachable', reason: 'no approvals channel is set any more' };
      }
      if (row.recipient.kind === 'requester') {
        return (await this.notifier.toRequestConversation(request.id, row.text ?? '')) ? { kind: 'sent' } : { kind: 'unreachable', reason: 'Onboard has no record of the conversation the request was made from' };
      }
      if (row.recipient.kind === 'person') {
        return (await this.notifier.toApprover(request, row.recipient.userId, reminder)) ? { kind: 'sent' } : { kind: 'unreachable', reason: 'Onboard has no chat with them (removed)' };
      }
      return { kind: 'unreachable', reason: 'not a recipient' };
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404) return { kind: 'unreachable', reason: `connector answered ${status}` };
      return { kind: 'retry', reason: status ? `connector answered ${status}` : (error as Error).message };
    }
  }

  /** The review card to the requester's chat, or (escalated) to the approvals channel or one approver's chat. */
  private async sendReview(row: Delivery, request: RegistrationRequest): Promise<SendOutcome> {
    if (!this.reviewCards) return { kind: 'retry', reason: 'review cards are not wired in this process' };
    const card = await this.reviewCards.render(request, row.kind === 'review' ? 'requester' : 'approvers');
    if (row.recipient.kind === 'channel') {
      return (await this.notifier.cardToApprovalsChannel(card)) ? { kind: 'sent' } : { kind: 'unreachable', reason: 'no approvals channel is set any more' };
    }
    if (row.recipient.kind === 'person') {
      return (await this.notifier.toPerson(row.recipient.userId, card)) ? { kind: 'sent' } : { kind: 'unreachable', reason: 'Onboard has no personal chat with them' };
    }
    return { kind: 'unreachable', reason: 'not a recipient' };
  }

  report(request: RegistrationRequest, summaryLine: string, unreachable: string[]): Promise<void> {
    return this.notifier.toRequester(request, summaryLine, unreachable);
  }
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.response?.status;
}
