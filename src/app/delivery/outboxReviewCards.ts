import type { RegistrationRequest } from '../../domain/request';
import type { ReviewCardQueue } from '../review/reviewPorts';
import type { DeliverOutbox } from './deliverOutbox';

/** Review cards through the outbox, as approval cards go: durable, retried, one row per stage and recipient. */
export class OutboxReviewCards implements ReviewCardQueue {
  constructor(
    private readonly delivery: DeliverOutbox,
    private readonly chats: { canReach(userId: string): Promise<boolean> },
  ) {}

  enqueue(request: RegistrationRequest): Promise<void> {
    return this.delivery.enqueueReview(request);
  }

  async deliver(requestId: string): Promise<void> {
    await this.delivery.run(requestId);
  }

  canReach(userId: string): Promise<boolean> {
    return this.chats.canReach(userId);
  }
}
