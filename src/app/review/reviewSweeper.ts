import type { Logger } from '../../logging';
import { TimedSweep } from '../timedSweep';
import type { SweepReviews } from './sweepReviews';

/** The periodic review, on a timer in each bot instance (it sends cards, which only the bot can). */
export class ReviewSweeper extends TimedSweep<Awaited<ReturnType<SweepReviews['execute']>>> {
  constructor(sweep: SweepReviews, logger: Logger, intervalMs = 3_600_000) {
    super({ name: 'review sweep', work: () => sweep.execute(), didSomething: (r) => r.askedRequester + r.askedApprovers + r.proposed > 0, logger, intervalMs });
  }
}
