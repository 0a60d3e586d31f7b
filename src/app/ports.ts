/**
 * The ports: what the use cases need from the outside world, named by role.
 * Adapters in src/adapters implement them; tests use the InMemory… fakes or the local cloud.
 */

/** A stored value with the ETag that a compare-and-set update must present. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** Health of one dependency as /healthz reports it. */
export type DependencyState = 'ok' | 'unreachable' | 'unknown' | 'degraded';

export interface HealthProbe {
  name: string;
  check(): Promise<{ state: DependencyState; detail?: string }>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Ids that must be unique and, for request ids, short enough to type in chat. */
export interface Ids {
  requestId(): string;
  correlationId(): string;
  /** 80 random bits as 16 lowercase letters and digits: a name part nobody can guess (the app's uniqueName). */
  unguessable(): string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** Random parts from the operating system's generator. */
export const systemIds: Pick<Ids, 'unguessable'> = {
  unguessable: () => Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => ALPHABET[b % 32]).join(''),
};
