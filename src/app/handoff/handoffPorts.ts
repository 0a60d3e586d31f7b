import type { Person } from '../../domain/request';
import type { ExpiredLinkNotice } from '../secrets/secretLinkPorts';

/**
 * The bot and the worker share only the store (ARCHITECTURE › Trust boundaries). A signal is a nudge through
 * it: "look now", never "do this". What to do is always read from the requests themselves, so a forged or
 * lost signal changes nothing but timing, and the periodic sweeps cover a lost one.
 */
export interface Signal {
  poke(): Promise<void>;
  /** Changes whenever someone pokes; undefined before the first poke. */
  version(): Promise<string | undefined>;
}

/**
 * What the worker has to tell people, for the bot to say: the worker holds no Bot Framework identity.
 * Requests are named by id and read again when delivered, so a notice carries no plan and no secret.
 */
export type Notice =
  | { kind: 'changed'; requestId: string; message: string }
  | { kind: 'finished'; requestId: string }
  /** A request the worker made (the re-grant after a restore): the bot sends its approval cards, as for any submit. */
  | { kind: 'submitted'; requestId: string }
  | { kind: 'linkExpired'; notice: ExpiredLinkNotice }
  | { kind: 'oldSecretRemoved'; notice: { requestId: string; requester: Person; appName: string; appId: string; keyIds: string[]; confirmed: boolean } };

/** Messages in the order they were posted; `take` claims them, so two instances never both act on one. */
export interface Box<T> {
  post(message: T): Promise<void>;
  /** Up to `limit` of the oldest messages, each already removed from the box (at most once). */
  take(limit: number): Promise<T[]>;
}

export type NoticeBox = Box<Notice>;

/**
 * What the bot asks of the worker besides provisioning: today only "remove this handed-over password now"
 * (revoke). The worker acts only on a password of an app one of Onboard's own requests created, whose name
 * says Onboard handed it over: a forged order can at most revoke an Onboard secret early, never grant anything.
 */
export type Order = { kind: 'removePassword'; appObjectId: string; keyId: string };

export type OrderBox = Box<Order>;
