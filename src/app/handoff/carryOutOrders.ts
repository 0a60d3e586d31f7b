import type { Directory } from '../directoryPort';
import type { RequestStore } from '../workflowPorts';
import { HANDOVER_PREFIX } from '../secrets/requestRotation';
import type { OrderBox } from './handoffPorts';

interface Log {
  warn(object: object, message: string): void;
}

/**
 * The worker's side of the bot's orders. Authority comes from Onboard's own records, not from the order: the app
 * must be one an Onboard request created, and the password one Onboard handed over (its display name).
 */
export class CarryOutOrders {
  constructor(private readonly deps: { box: OrderBox; requests: RequestStore; directory: Pick<Directory, 'listPasswords' | 'removePassword'>; log: Log }) {}

  async execute(): Promise<number> {
    let done = 0;
    for (let batch = await this.deps.box.take(50); batch.length; batch = await this.deps.box.take(50)) {
      const ours = new Set((await this.deps.requests.listInStates(['Provisioned', 'SecretDelivered'])).map((r) => r.value.provisioning?.steps.application?.id).filter(Boolean));
      for (const order of batch) {
        if (!ours.has(order.appObjectId)) {
          this.deps.log.warn({ appObjectId: order.appObjectId }, 'refused an order for an app no Onboard request created');
          continue;
        }
        const handedOver = (await this.deps.directory.listPasswords(order.appObjectId)).some((p) => p.keyId === order.keyId && p.displayName?.startsWith(HANDOVER_PREFIX));
        if (!handedOver) continue;
        await this.deps.directory.removePassword(order.appObjectId, order.keyId);
        done++;
      }
    }
    return done;
  }
}
