import type { Person, RegistrationRequest } from '../../domain/request';

/**
 * What the chat, the CLI and the periodic review ask of offboarding. The use cases behind these live in this
 * folder; the bot records and decides, the worker makes every directory write (ARCHITECTURE › Trust boundaries).
 */
export interface OffboardInput {
  /** The app's display name or Application ID, as typed. */
  target: string;
  actor: Person;
  correlationId: string;
  /** The periodic review proposes it because nobody answered: the card says so. */
  proposedByReview?: boolean;
}

export type OffboardResult =
  | { kind: 'submitted'; request: RegistrationRequest; where: 'channel' | 'approvers' | 'nowhere' }
  | { kind: 'already-submitted'; request: RegistrationRequest }
  /** Several apps match the name: the person chooses, Onboard never guesses. */
  | { kind: 'ambiguous'; candidates: { appId: string; displayName: string }[] }
  /** Not found, not Onboard's (with what an admin would do by hand), or the actor may not: the message says what to do next. */
  | { kind: 'refused'; message: string };

export interface OffboardRequester {
  execute(input: OffboardInput): Promise<OffboardResult>;
}

export interface RestoreInput {
  target: string;
  actor: Person;
  correlationId: string;
}

export type RestoreResult =
  /** Within the grace period: sign-in is turned back on (by the worker); step 2 will not run. */
  | { kind: 're-enabling'; request: RegistrationRequest }
  /** After step 2: the application comes back from deleted items, and its approved plan goes through a new approval. */
  | { kind: 'restoring'; request: RegistrationRequest }
  | { kind: 'ambiguous'; candidates: { appId: string; displayName: string }[] }
  | { kind: 'refused'; message: string };

export interface AppRestorer {
  execute(input: RestoreInput): Promise<RestoreResult>;
}
