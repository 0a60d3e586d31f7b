/** One composition root per process (ARCHITECTURE › Layers): the bot's and the worker's. */
export { composeOnboard, type Onboard, type ComposeOverrides } from './bot';
export { composeWorker, type Worker, type WorkerOverrides } from './worker';
export { tableHandoff, type Handoff } from './handoff';
