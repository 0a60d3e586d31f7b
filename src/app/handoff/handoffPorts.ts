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
  | { kind: 'linkExpired'; notice: ExpiredLinkNotice }
  | { kind: 'oldSecretRemoved'; notice: { requestId: string; requester: Person; appName: string; appId: string; keyIds: string[]; confirmed: boolean } };

/** Notices in the order they were posted; `take` claims them, so two bot instances never both say one. */
export interface NoticeBox {
  post(notice: Notice): Promise<void>;
  /** Up to `limit` of the oldest notices, each already removed from the box (at most once). */
  take(limit: number): Promise<Notice[]>;
}
