import type { RegistrationRequest } from '../../domain/request';
import { parseStoredPlan, type WorkKind } from '../../domain/storedPlan';
import type { RequestStore } from '../workflowPorts';

export interface WorkInput {
  requestId: string;
  correlationId?: string;
}

/** What running approved work came to; `provisioned`/`applied`/`failed` mean it ran to an end state. */
export type WorkOutcome = { kind: string; request?: RegistrationRequest; reason?: string };

/** Runs one kind of approved work: the registration saga, a drift fix, a rotation. */
export type WorkHandler = (input: WorkInput) => Promise<WorkOutcome>;

export type WorkHandlers = Partial<Record<Exclude<WorkKind, 'unreadable'>, WorkHandler>> & { registration: WorkHandler };

/**
 * One dispatcher by plan kind, for the click path and the sweeper alike, so a request is always run by the
 * use case its plan is for (a drift fix picked up after a crash is applied, not handed to the registration
 * saga). The kind comes from the store's parse of the plan. A rotation without its own handler runs the
 * registration saga on the original application; an unreadable plan goes there too, whose pre-write guard
 * refuses it with the reason, audited, and tells the approvers.
 */
export class ApprovedWorkDispatcher {
  constructor(private readonly deps: { requests: RequestStore; handlers: WorkHandlers }) {}

  async execute(input: WorkInput): Promise<WorkOutcome> {
    const current = await this.deps.requests.get(input.requestId);
    if (!current) return { kind: 'skipped', reason: 'unknown request' };
    // A rotation is one by its own record, whatever its copy of the original plan parses to.
    const kind = current.value.rotation ? 'rotation' : (current.value.work ?? parseStoredPlan(current.value)).kind;
    const { handlers } = this.deps;
    const handler = kind === 'unreadable' ? handlers.registration : handlers[kind] ?? (kind === 'rotation' ? handlers.registration : undefined);
    if (!handler) return { kind: 'skipped', reason: `nothing here runs ${kind} work` };
    return handler(input);
  }
}
