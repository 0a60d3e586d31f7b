import type { Next, Request, Response, Server } from 'restify';
import type { Logger } from '../logging';
import { hashLinkToken, linkIdOf } from '../app/secrets/linkToken';
import type { RevealSecret } from '../app/secrets/revealSecret';
import type { ClientInfo, SecretLink } from '../app/secrets/secretLinkPorts';
import { ANTI_FORGERY_FIELD, type AntiForgery } from './antiForgery';
import { clientAddress, type RateLimiter } from './rateLimit';
import { linkPage, pageCsp, pages, revealedPage, signInPage, type Page } from './secretPageViews';
import { signedInLabel, type SecretSignIn } from './secretSignIn';

export interface SecretPagesDeps {
  reveal: RevealSecret;
  antiForgery: AntiForgery;
  limiter: RateLimiter;
  trustForwardedFor: boolean;
  logger: Logger;
  /** SECRET_LINK_SIGNIN=required: the recipient signs in before Reveal. Absent: the page says sign-in is off. */
  signIn?: SecretSignIn;
  /** The Reveal form sends about 60 bytes; anything much larger is not from it. */
  maxBodyBytes?: number;
}

const PATH = /^\/secrets(\/|$)/;

/**
 * `/secrets/:token`: GET and HEAD show the link's page and never use it up; POST with the anti-forgery pair
 * reveals once. The token is a credential, so it never reaches a log line: logs name a link by its hash prefix.
 */
export function secretPages(deps: SecretPagesDeps): (server: Server) => void {
  const maxBody = deps.maxBodyBytes ?? 1024;
  return (server) => {
    // pre(): before the body parser reads anything, and for every answer under /secrets, routed or not.
    server.pre((req: Request, res: Response, next: Next) => {
      if (!PATH.test(req.path())) return next();
      setPageHeaders(res, pageCsp(false));
      const allowed = deps.limiter.take(clientAddress(req, deps.trustForwardedFor));
      if (!allowed.ok) {
        res.setHeader('Retry-After', String(allowed.retryAfterSeconds));
        send(req, res, pages.tooMany(allowed.retryAfterSeconds));
        return next(false);
      }
      if (req.method === 'POST') {
        const length = req.headers['content-length'];
        const refusal = length === undefined ? pages.lengthRequired() : !/^\d+$/.test(length) || Number(length) > maxBody ? pages.tooLarge() : undefined;
        if (refusal) {
          res.setHeader('Connection', 'close');
          send(req, res, refusal);
          return next(false);
        }
      }
      return next();
    });

    const view = guarded(deps, async (req, res, token, client) => {
      const status = await deps.reveal.view(token, client);
      log(deps, status.kind === 'not-found' ? undefined : status.link, `view: ${status.kind}`, 'debug');
      switch (status.kind) {
        case 'not-found': return send(req, res, pages.notFound());
        case 'revealed': return send(req, res, pages.alreadyRevealed(status.at));
        case 'expired': return send(req, res, pages.expired(status.at));
        case 'replaced': return send(req, res, pages.replaced());
        case 'open': {
          const { link } = status;
          const hash = link.tokenHash;
          const shown = { appName: link.appName, vendor: link.vendor, recipientName: link.recipient.name, expiresAt: link.expiresAt };
          // Only the page's own "Sign in" link carries ?signin; a preview bot fetching the plain URL gets the page.
          const viewer = deps.signIn?.viewer(req, hash);
          if (deps.signIn && !viewer) {
            if (req.method === 'GET' && new URL(req.url ?? '/', 'http://x').searchParams.has('signin')) return deps.signIn.start(res, token);
            return send(req, res, signInPage(shown));
          }
          res.setHeader('Set-Cookie', deps.antiForgery.cookie(token, hash, (Date.parse(link.expiresAt) - Date.now()) / 1000));
          return send(req, res, linkPage({ ...shown, antiForgery: deps.antiForgery.value(hash), signedInAs: viewer && signedInLabel(viewer), signInOff: !deps.signIn }));
        }
      }
    });

    const reveal = guarded(deps, async (req, res, token, client) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const verdict = deps.antiForgery.verify(req, hashLinkToken(token), body[ANTI_FORGERY_FIELD]);
      if (verdict !== 'ok') {
        deps.logger.info({ antiForgery: verdict }, 'secret reveal refused: anti-forgery check');
        return send(req, res, pages.forged());
      }
      const outcome = await deps.reveal.execute(token, client, deps.signIn?.viewer(req, hashLinkToken(token)));
      log(deps, outcome.kind === 'not-found' ? undefined : outcome.link, `reveal: ${outcome.kind}`, 'info');
      switch (outcome.kind) {
        case 'not-found': return send(req, res, pages.notFound());
        case 'revealed': return send(req, res, pages.alreadyRevealed(outcome.at));
        case 'expired': return send(req, res, pages.expired(outcome.at));
        case 'replaced': return send(req, res, pages.replaced());
        case 'gone': return send(req, res, pages.gone());
        case 'unavailable': return send(req, res, pages.unavailable());
        case 'sign-in-required': return send(req, res, pages.signInRequired());
        case 'shown':
          if (deps.signIn) res.setHeader('Set-Cookie', deps.signIn.endSession(token));
          return send(req, res, revealedPage(outcome.handover, outcome.value));
      }
    });

    const notAllowed = async (req: Request, res: Response) => {
      res.setHeader('Allow', 'GET, HEAD, POST');
      send(req, res, pages.methodNotAllowed());
    };
    if (deps.signIn) {
      const signIn = deps.signIn;
      // Registered before /secrets/:token; the router prefers this static path anyway.
      server.get('/secrets/signin', guarded(deps, async (req, res, _token, client) => {
        const answer = await signIn.callback(req, client);
        res.setHeader('Set-Cookie', answer.cookies);
        if ('redirect' in answer) {
          res.writeHead(303, { Location: answer.redirect, 'Content-Length': 0 });
          return void res.end();
        }
        return send(req, res, answer.page);
      }));
    }
    server.get('/secrets/:token', view);
    server.head('/secrets/:token', view);
    server.post('/secrets/:token', reveal);
    for (const route of [server.put, server.del, server.patch, server.opts]) route.call(server, '/secrets/:token', notAllowed);
  };
}

type PageHandler = (req: Request, res: Response, token: string, client: ClientInfo) => Promise<void>;

/** Any failure becomes a plain 500 page here, so nothing downstream logs the request path (it holds the token). */
function guarded(deps: SecretPagesDeps, handler: PageHandler) {
  return async (req: Request, res: Response) => {
    const token = String(req.params?.token ?? '');
    const client: ClientInfo = { address: clientAddress(req, deps.trustForwardedFor), userAgent: String(req.headers['user-agent'] ?? ''), method: req.method };
    try {
      await handler(req, res, token, client);
    } catch (error) {
      deps.logger.error({ error: (error as Error)?.name, link: linkIdOf(hashLinkToken(token)), method: req.method }, 'secret page failed');
      if (!res.headersSent) send(req, res, pages.failed());
    }
  };
}

function log(deps: SecretPagesDeps, link: SecretLink | undefined, outcome: string, level: 'debug' | 'info'): void {
  deps.logger[level]({ requestId: link?.requestId, link: link && linkIdOf(link.tokenHash), outcome }, 'secret page');
}

function setPageHeaders(res: Response, csp: string): void {
  res.setHeader('Cache-Control', 'no-store, max-age=0');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow, noarchive');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', csp);
}

function send(req: Request, res: Response, page: Page): void {
  setPageHeaders(res, page.csp);
  res.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page.html) });
  res.end(req.method === 'HEAD' ? undefined : page.html);
}
