import type { RegistrationRequest } from '../../domain/request';
import type { ConversationBook, RequestNotifier } from '../workflowPorts';
import type { DeliverOutbox } from './deliverOutbox';

/**
 * Approval cards, reminders and notices go through the outbox: `submitted` only stores one row and starts a send in
 * the background, so the click that submitted is answered as soon as the request is stored; a notice is a row too,
 * so news survives a crash and a connector outage and goes out once. Cards already posted are edited in place
 * (`updateCards`) straight away: an edit shows the state now, so repeating one after a crash is harmless.
 */
export class OutboxRequestNotifier implements RequestNotifier {
  constructor(
    private readonly direct: { updateCards(request: RegistrationRequest): Promise<void> },
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

  async changed(request: RegistrationRequest, message: string): Promise<void> {
    await this.direct.updateCards(request);
    if (!message) return;
    await this.delivery.notice(request, message);
    this.kick(request.id);
  }

  async reminded(request: RegistrationRequest): Promise<void> {
    await this.delivery.enqueue(request, 'reminder');
    this.kick(request.id);
  }
}
