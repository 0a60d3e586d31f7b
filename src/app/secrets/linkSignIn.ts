import type { Clock } from '../ports';
import type { AuditLog } from '../workflowPorts';
import { linkIdOf } from './linkToken';
import type { LinkStatus } from './revealSecret';
import { describeClient, type ClientInfo, type SecretLink } from './secretLinkPorts';

/**
 * Sign-in before Reveal (docs/secrets.md › Sign-in): the link opens only for its recipient, signed in with
 * Entra ID. These are the ports and the use case; the OpenID Connect work is in adapters/identity.
 */

/** Who signed in, from an ID token whose signature, issuer, audience, expiry and nonce were checked. */
export interface SignedInPerson {
  /** Entra object id. */
  oid: string;
  /** Entra tenant id. */
  tid: string;
  name: string;
  /** preferred_username: shown and audited, never used to decide. */
  username: string;
}

/** Why a sign-in was not accepted; the page says so in plain words, the log gets the kind only. */
export class SignInRefusedError extends Error {
  constructor(readonly reason: 'redemption' | 'signature' | 'issuer' | 'audience' | 'expired' | 'nonce' | 'malformed' | 'unavailable', detail: string) {
    super(detail);
    this.name = 'SignInRefusedError';
  }
}

/** Entra's authorization code flow with PKCE, for the link page's own app registration. */
export interface RecipientSignIn {
  /** The authorize URL to send the browser to; `verifier` stays with this browser's pending sign-in, never in a URL. */
  begin(request: { state: string; nonce: string; redirectUri: string; loginHint?: string }): Promise<{ url: string; verifier: string }>;
  /** Redeems the code with its PKCE verifier and validates the ID token against the tenant's JWKS; throws SignInRefusedError. */
  complete(response: { code: string; verifier: string; nonce: string; redirectUri: string }): Promise<SignedInPerson>;
}

/** Said in chat to a link's recipient when someone else signed in on it. */
export interface LinkOpenedByOtherNotice {
  requestId: string;
  recipient: { id: string; name: string };
  appName: string;
  by: { name: string; username: string };
  at: string;
}

export interface LinkSignInNotifier {
  openedByOther(notice: LinkOpenedByOtherNotice): Promise<void>;
}

export type LinkSignInOutcome =
  | Exclude<LinkStatus, { kind: 'open' }>
  | { kind: 'recipient'; link: SecretLink }
  | { kind: 'not-recipient'; link: SecretLink };

export interface LinkSignInDeps {
  lookup: (token: string) => Promise<LinkStatus>;
  audit: AuditLog;
  clock: Clock;
  notifier: LinkSignInNotifier;
  /** Onboard's tenant: a person of the same object id in another tenant is someone else. */
  tenantId: string;
  log?: { warn(object: object, message: string): void };
}

/** The recipient is the person the link was made for, in Onboard's own tenant: both ids must match. */
export function isRecipient(link: SecretLink, person: Pick<SignedInPerson, 'oid' | 'tid'>, tenantId: string): boolean {
  return person.oid.toLowerCase() === link.recipient.id.toLowerCase() && person.tid.toLowerCase() === tenantId.toLowerCase();
}

/**
 * After a completed sign-in: decides whether this person may see Reveal. Someone else is refused, audited, and
 * the recipient is told in chat. Nothing here changes the link: signing in never uses it up.
 */
export class LinkSignIn {
  constructor(private readonly deps: LinkSignInDeps) {}

  async signedIn(token: string, person: SignedInPerson, client: ClientInfo): Promise<LinkSignInOutcome> {
    const status = await this.deps.lookup(token);
    if (status.kind !== 'open') return status;
    const { link } = status;
    const who = `${person.name} <${person.username}> (object id ${person.oid}, tenant ${person.tid})`;
    if (isRecipient(link, person, this.deps.tenantId)) {
      await this.audit(link, 'secret.link.signedIn', 'ok', `${who}; ${describeClient(client)}`);
      return { kind: 'recipient', link };
    }
    await this.audit(link, 'secret.link.signedIn', 'refused', `${who} is not the recipient ${link.recipient.name} (${link.recipient.id}); the link was not used; ${describeClient(client)}`);
    const at = this.deps.clock.now().toISOString();
    await this.deps.notifier.openedByOther({ requestId: link.requestId, recipient: link.recipient, appName: link.appName, by: { name: person.name, username: person.username }, at })
      .catch((error: Error) => this.deps.log?.warn({ requestId: link.requestId, error: error.name }, 'the recipient was not told that someone else opened their link'));
    return { kind: 'not-recipient', link };
  }

  private async audit(link: SecretLink, action: string, outcome: 'ok' | 'refused', detail: string): Promise<void> {
    const correlationId = `link-${linkIdOf(link.tokenHash)}`;
    await this.deps.audit.append({ at: this.deps.clock.now().toISOString(), action, outcome, requestId: link.requestId, correlationId, detail })
      .catch((error: Error) => this.deps.log?.warn({ requestId: link.requestId, correlationId, action, error: error.name }, 'audit event not written'));
  }
}
