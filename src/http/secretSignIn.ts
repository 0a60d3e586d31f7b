import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { Logger } from '../logging';
import { hashLinkToken, linkIdOf } from '../app/secrets/linkToken';
import { SignInRefusedError, type LinkSignIn, type RecipientSignIn, type SignedInPerson } from '../app/secrets/linkSignIn';
import type { ClientInfo } from '../app/secrets/secretLinkPorts';
import { readCookie, type SealedCookies } from './sealedCookies';
import { pages, type Page } from './secretPageViews';

/**
 * The link page's sign-in at the edge (docs/secrets.md › Sign-in before Reveal):
 *   GET /secrets/<token>?signin  → 302 to Entra's authorize URL; a sealed "pending" cookie (path /secrets/signin)
 *                                  holds the link token, state, nonce and PKCE verifier for ten minutes
 *   GET /secrets/signin?code&state → state compared with the pending cookie, code redeemed with the verifier, ID token
 *                                  validated (adapter); the recipient gets a sealed session cookie bound to this link
 *                                  (path /secrets/<token>, ten minutes) and is sent back to the page; anyone else is refused
 * Codes, ID tokens and the link token never reach a log line: logs name the link by its hash prefix.
 */
const PENDING = 'onboard-signin';
const SESSION = 'onboard-session';
const PENDING_TTL_MS = 10 * 60_000;
/** The session lasts only for the reveal. */
const SESSION_TTL_MS = 10 * 60_000;

interface Pending { t: string; s: string; n: string; v: string }
interface Session { h: string; o: string; t: string; m: string; u: string }

export interface SecretSignInDeps {
  signIn: RecipientSignIn;
  use: LinkSignIn;
  cookies: SealedCookies;
  /** PUBLIC_URL/secrets/signin, registered on the app. */
  redirectUri: string;
  logger: Logger;
}

export type CallbackAnswer = { page: Page; cookies: string[] } | { redirect: string; cookies: string[] };

export class SecretSignIn {
  constructor(private readonly deps: SecretSignInDeps) {}

  /** The signed-in person this browser brought for this link, if any. */
  viewer(req: Request, tokenHash: string): SignedInPerson | undefined {
    const session = this.deps.cookies.open<Session>('secret-session', readCookie(req, this.deps.cookies.name(SESSION)));
    if (!session || !equal(session.h, tokenHash)) return undefined;
    return { oid: session.o, tid: session.t, name: session.m, username: session.u };
  }

  /** Starts a sign-in for this link: nothing about the link changes, so a scanner following it uses nothing up. */
  async start(res: Response, token: string): Promise<void> {
    const state = randomBytes(32).toString('base64url');
    const nonce = randomBytes(32).toString('base64url');
    const { url, verifier } = await this.deps.signIn.begin({ state, nonce, redirectUri: this.deps.redirectUri });
    const { cookies } = this.deps;
    res.setHeader('Set-Cookie', cookies.header(cookies.name(PENDING), cookies.seal('secret-signin', { t: token, s: state, n: nonce, v: verifier } satisfies Pending, PENDING_TTL_MS), '/secrets/signin', PENDING_TTL_MS / 1000));
    res.writeHead(302, { Location: url, 'Content-Length': 0 });
    res.end();
  }

  /** Clears the session once the secret is shown: it was for this one reveal. */
  endSession(token: string): string {
    return this.deps.cookies.header(this.deps.cookies.name(SESSION), '', `/secrets/${token}`, 0);
  }

  async callback(req: Request, client: ClientInfo): Promise<CallbackAnswer> {
    const { cookies, logger } = this.deps;
    // One try per pending sign-in, whatever happens next.
    const cleared = [cookies.header(cookies.name(PENDING), '', '/secrets/signin', 0)];
    const pending = cookies.open<Pending>('secret-signin', readCookie(req, cookies.name(PENDING)));
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const link = pending && linkIdOf(hashLinkToken(pending.t));
    if (!pending) {
      logger.info({ outcome: 'no pending sign-in' }, 'secret sign-in refused');
      return { page: pages.signInFailed('This sign-in did not start from an Onboard link in this browser, or took longer than ten minutes.'), cookies: cleared };
    }
    if (!equal(query.get('state') ?? '', pending.s)) {
      logger.warn({ link, outcome: 'state mismatch' }, 'secret sign-in refused');
      return { page: pages.signInFailed('The answer from sign-in does not belong to the sign-in this browser started.'), cookies: cleared };
    }
    const error = query.get('error');
    const code = query.get('code');
    if (error || !code) {
      const aadsts = /AADSTS\d+/.exec(query.get('error_description') ?? '')?.[0];
      logger.info({ link, outcome: 'entra refused', error: error?.slice(0, 60), aadsts }, 'secret sign-in refused');
      return { page: pages.signInFailed(`Sign-in was refused${aadsts ? ` (${aadsts})` : ''}.`), cookies: cleared };
    }
    let person: SignedInPerson;
    try {
      person = await this.deps.signIn.complete({ code, verifier: pending.v, nonce: pending.n, redirectUri: this.deps.redirectUri });
    } catch (caught) {
      if (!(caught instanceof SignInRefusedError)) throw caught;
      logger.warn({ link, outcome: caught.reason, detail: caught.message }, 'secret sign-in refused');
      return { page: pages.signInFailed('Onboard could not verify who signed in.'), cookies: cleared };
    }
    const outcome = await this.deps.use.signedIn(pending.t, person, client);
    logger.info({ link, outcome: outcome.kind }, 'secret sign-in');
    switch (outcome.kind) {
      case 'not-found': return { page: pages.notFound(), cookies: cleared };
      case 'revealed': return { page: pages.alreadyRevealed(outcome.at), cookies: cleared };
      case 'expired': return { page: pages.expired(outcome.at), cookies: cleared };
      case 'replaced': return { page: pages.replaced(), cookies: cleared };
      case 'not-recipient': return { page: pages.notRecipient(outcome.link.recipient.name), cookies: cleared };
      case 'recipient': {
        const ttl = Math.min(SESSION_TTL_MS, Date.parse(outcome.link.expiresAt) - Date.now());
        const session = cookies.seal('secret-session', { h: outcome.link.tokenHash, o: person.oid, t: person.tid, m: person.name, u: person.username } satisfies Session, ttl);
        return { redirect: `/secrets/${pending.t}`, cookies: [...cleared, cookies.header(cookies.name(SESSION), session, `/secrets/${pending.t}`, ttl / 1000)] };
      }
    }
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** "Alex Wilber (alexw@contoso.com)" for the page. */
export const signedInLabel = (person: SignedInPerson) => (person.username ? `${person.name} (${person.username})` : person.name);
