/** Typed failures that use cases catch and turn into something a person can act on. */

/** A compare-and-set write lost the race: someone else changed the record first. */
export class ConcurrencyConflictError extends Error {
  readonly code = 'ConcurrencyConflict';
  constructor(readonly entity: string, readonly key: string) {
    super(`${entity} ${key} was changed by someone else; reload it and try again`);
    this.name = 'ConcurrencyConflictError';
  }
}

/** A create found the key already taken. */
export class AlreadyExistsError extends Error {
  readonly code = 'AlreadyExists';
  constructor(readonly entity: string, readonly key: string) {
    super(`${entity} ${key} already exists`);
    this.name = 'AlreadyExistsError';
  }
}

export function isConcurrencyConflict(error: unknown): error is ConcurrencyConflictError {
  return error instanceof ConcurrencyConflictError;
}
