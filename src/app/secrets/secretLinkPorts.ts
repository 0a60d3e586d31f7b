import type { Person } from '../../domain/request';
import type { Versioned } from '../ports';

/**
 * A one-time link to one client secret. The token itself is never stored: only its SHA-256 (the key), so
 * a copy of the table gives nobody a working link. Nothing here is the secret's value either.
 */
/** 'replaced': issued again because its card may never have been sent; it opens nothing and owes no clean-up. */
export type LinkState = 'unused' | 'revealed' | 'expired' | 'replaced';

export interface SecretLink {
  /** Hex SHA-256 of the token: the partition key. */
  tokenHash: string;
  requestId: string;
  /** Who the link was sent to; the page says so, and the expiry notice goes to them. */
  recipient: Person;
  appName: string;
  vendor?: string;
  appId: string;
  /** The application's object id when the issuer knew it, so removing the password needs no lookup. */
  appObjectId?: string;
  keyId: string;
  vaultName: string;
  createdAt: string;
  expiresAt: string;
  state: LinkState;
  revealedAt?: string;
  expiredAt?: string;
  replacedAt?: string;
  /** Work owed once the link left 'unused'; each mark is set when done, so an interrupted clean-up resumes. */
  cleanup?: Cleanup;
}

export interface Cleanup {
  vaultPurgedAt?: string;
  credentialRemovedAt?: string;
  requesterNotifiedAt?: string;
  /** The instance doing the clean-up holds it until then; another takes over only after. */
  leaseUntil?: string;
}

/** Links, each changed only by compare-and-set: `update` throws ConcurrencyConflictError on a lost race. */
export interface LinkStore {
  create(link: SecretLink): Promise<Versioned<SecretLink>>;
  get(tokenHash: string): Promise<Versioned<SecretLink> | undefined>;
  update(link: SecretLink, etag: string): Promise<Versioned<SecretLink>>;
  /** Unused links whose expiry has passed, and links whose clean-up is unfinished. */
  listDue(now: Date): Promise<Versioned<SecretLink>[]>;
}

/** The password credential a link handed over (or failed to hand over). */
export interface PasswordTarget {
  requestId: string;
  appId: string;
  appObjectId?: string;
  keyId: string;
}

/** Removes an unclaimed password from the app (Graph: removePassword). Removing one that is gone is fine. */
export interface AppPasswordRemover {
  removePassword(target: PasswordTarget): Promise<void>;
}

export interface ExpiredLinkNotice extends PasswordTarget {
  recipient: Person;
  appName: string;
  expiredAt: string;
}

/**
 * `url` is a bearer credential for the secret until it is revealed or expires: it goes on the requester's card
 * in their personal chat, and never into a log line, a table row or an error message.
 */
export interface LinkIssuedNotice {
  requestId: string;
  recipient: Person;
  appName: string;
  vendor?: string;
  appId: string;
  url: string;
  expiresAt: string;
  /** A new secret for an app that already had one. */
  rotation: boolean;
}

export interface NotDeliveredNotice {
  requestId: string;
  requester: Person;
  appName: string;
  appId: string;
  reason: string;
}

/** Where the handover talks to people (Teams: cards in personal chats and the approvers channel). */
export interface SecretLinkNotifier {
  /** Whether a link can reach this person privately now (Teams: they have a personal chat with Onboard). */
  canReach(personId: string): Promise<boolean>;
  /** Said once where the request was made: the link waits until the requester opens a personal chat. */
  unreachable(notice: { requestId: string; requester: Person; appName: string }): Promise<void>;
  /** The one-time link, to its recipient only, in their personal chat. Throws when it could not be sent. */
  linkIssued(notice: LinkIssuedNotice): Promise<void>;
  /** The link expired unread and the secret was withdrawn: the requester gets Rotate. */
  linkExpired(notice: ExpiredLinkNotice): Promise<void>;
  /** The vault would not take the secret, so none was issued: the requester and the approvers get Rotate. */
  notDelivered(notice: NotDeliveredNotice): Promise<void>;
}

/** Where a page request came from, for the audit trail. */
export interface ClientInfo {
  address: string;
  userAgent: string;
  method?: string;
}

/** What still has to happen to a link that left 'unused'. */
export function cleanupPending(link: SecretLink): boolean {
  const done = link.cleanup ?? {};
  if (link.state === 'revealed') return !done.vaultPurgedAt;
  if (link.state === 'expired') return !done.vaultPurgedAt || !done.credentialRemovedAt || !done.requesterNotifiedAt;
  return false;
}

/** The user agent as the audit trail keeps it: printable, and short enough not to flood a row. */
export function describeClient(client: ClientInfo): string {
  const agent = client.userAgent.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
  return `${client.method ? `${client.method} ` : ''}from ${client.address || 'unknown address'}, user agent "${agent}"`;
}
