import type { RegistrationRequest } from '../../domain/request';
import type { ConversationBook, RequestNotifier } from '../workflowPorts';
import type { DeliverOutbox } from './deliverOutbox';

/**
 * Approval cards and reminders go through the outbox: `submitted` only stores one row and starts a send in the
 * background, so the click that submitted is answered as soon as the request is stored. Updates of cards already
 * posted (`changed`) go straight to the messaging side, as before.
 */
export class OutboxRequestNotifier implements RequestNotifier {
  constructor(
    private readonly direct: Pick<RequestNotifier, 'changed'>,
    private readonly delivery: DeliverOutbox,
    private readonly conversations: ConversationBook,
    /** Starts sending now, off the caller's path; the sweeper covers a crash in between. */
    private readonly kick: (requestId: string) => void,
  ) {}

  async submitted(request: RegistrationRequest) {
    await this.delivery.enqueue(request, 'approval');
    this.kick(request.id);
    // One read of the settings row: where it is going, said before anyone has it.
    const channel = await this.conversations.approvalsChannel();
    return { delivered: 0, where: channel ? ('channel' as const) : ('approvers' as const), notified: [] };
  }

  changed(request: RegistrationRequest, message: string): Promise<void> {
    return this.direct.changed(request, message);
  }

  async reminded(request: RegistrationRequest): Promise<void> {
    await this.delivery.enqueue(request, 'reminder');
    this.kick(request.id);
  }
}
