import type { CliCommand } from '../command';
import { runWorkerProcess } from '../../main';

export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'Run the provisioning worker: sagas, rotations, drift fixes and secret sweeps, under its own identity; no inbound endpoint.',
  usage: 'onboard worker',
  examples: ['onboard worker'],
  async run(_args, io) {
    await runWorkerProcess(io.env);
    // Runs until SIGINT or SIGTERM, which end the process after the running sagas reach a step boundary.
    return new Promise<number>(() => undefined);
  },
};
