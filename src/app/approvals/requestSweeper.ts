import type { Logger } from '../../logging';
import { TimedSweep } from '../timedSweep';
import type { SweepRequests } from './sweepRequests';

/** Expires requests nobody decided and reminds the approvers, on a timer in every instance. */
export class RequestSweeper extends TimedSweep<Awaited<ReturnType<SweepRequests['execute']>>> {
  constructor(sweep: SweepRequests, logger: Logger, intervalMs = 60_000) {
    super({ name: 'request sweep', work: () => sweep.execute(), didSomething: (r) => r.expired + r.reminded > 0, logger, intervalMs });
  }
}
