import { createHash } from 'node:crypto';
import type { Handover } from '../app/secrets/revealSecret';
import { ANTI_FORGERY_FIELD } from './antiForgery';

/**
 * The secret pages: self-contained HTML, no third-party asset, no inline handler or style attribute. The one
 * stylesheet and the one script are static, so the CSP admits them by hash and nothing else can run.
 */
const css = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.45}
body{margin:0;background:Canvas;color:CanvasText}
main{max-width:40rem;margin:2.5rem auto;padding:0 1.25rem}
h1{font-size:1.4rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:1rem 0}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.note{border-left:4px solid #c50;padding:.5rem .75rem;margin:1rem 0}
.secret{display:flex;gap:.5rem;margin:1rem 0}
.secret input{flex:1;font:1rem ui-monospace,Consolas,monospace;padding:.5rem}
button,a.button{font:inherit;font-weight:600;padding:.55rem 1.25rem;cursor:pointer}
a.button{display:inline-block;border:1px solid;text-decoration:none;color:inherit}
code{font-family:ui-monospace,Consolas,monospace}
footer{margin-top:2rem;font-size:.85rem;opacity:.75}`;

const copyScript = `
document.getElementById('copy').addEventListener('click', function () {
  var field = document.getElementById('secret');
  var say = function (text) { document.getElementById('copied').textContent = text; };
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(function () { say('Copied.'); }, function () { say('Selected: press Ctrl+C to copy.'); });
  } else {
    say('Selected: press Ctrl+C to copy.');
  }
});`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const cssHash = sha256(css);
const scriptHash = sha256(copyScript);

/** Page-specific CSP: only our own stylesheet, our own script where there is one, and forms back to us. */
export function pageCsp(withScript: boolean): string {
  return [
    "default-src 'none'", `style-src ${cssHash}`, `script-src ${withScript ? scriptHash : "'none'"}`, "form-action 'self'",
    "frame-ancestors 'none'", "base-uri 'none'", "require-trusted-types-for 'script'",
  ].join('; ');
}

export interface Page {
  status: number;
  html: string;
  csp: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 2026-11-23 09:00 UTC: the same for every reader, whatever the server's locale. */
export const utc = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function layout(status: number, title: string, body: string, script = false): Page {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex,nofollow">
<title>${escapeHtml(title)} · Onboard</title><style>${css}</style></head>
<body><main>${body}
<footer>Onboard, your IT department's app registration assistant.</footer></main>${script ? `<script>${copyScript}</script>` : ''}</body></html>`;
  return { status, html, csp: pageCsp(script) };
}

const rows = (pairs: [string, string | undefined][]) =>
  `<dl>${pairs.filter(([, v]) => v).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v!)}</dd>`).join('')}</dl>`;

export interface LinkView {
  appName: string;
  vendor?: string;
  recipientName: string;
  expiresAt: string;
}

const linkRows = (view: LinkView, signedInAs?: string) => rows([['Application', view.appName], ['Vendor', view.vendor], ['For', view.recipientName], ['Signed in as', signedInAs], ['Link expires', utc(view.expiresAt)]]);

/** SECRET_LINK_SIGNIN=required and nobody is signed in: the page says whom it is for, and offers sign-in, not Reveal. */
export function signInPage(view: LinkView): Page {
  return layout(200, `Client secret for ${view.appName}`, `
<h1>Client secret for ${escapeHtml(view.appName)}</h1>
${linkRows(view)}
<p class="note">Only ${escapeHtml(view.recipientName)} can reveal this secret. Sign in with your work account first; then the page shows Reveal.</p>
<p>Opening this page, or signing in, does not use the link up; only the Reveal button does.</p>
<p><a class="button" href="?signin" rel="nofollow">Sign in to reveal</a></p>`);
}

/** `signedInAs`: the recipient, after sign-in. `signInOff`: SECRET_LINK_SIGNIN=off (local profile only), said plainly. */
export function linkPage(view: LinkView & { antiForgery: string; signedInAs?: string; signInOff?: boolean }): Page {
  return layout(200, `Client secret for ${view.appName}`, `
<h1>Client secret for ${escapeHtml(view.appName)}</h1>
${linkRows(view, view.signedInAs)}
${view.signInOff ? '<p class="note">Sign-in before Reveal is <strong>off</strong> (SECRET_LINK_SIGNIN=off, allowed only in the local profile): anyone holding this link can reveal the secret.</p>' : ''}
<p class="note">This link works <strong>once</strong>. Reveal shows the secret, then deletes it from the vault:
have the vendor's setup page open, and copy the value straight into it.</p>
<p>Opening this page does not use the link up; only the button does.</p>
<form method="post"><input type="hidden" name="${ANTI_FORGERY_FIELD}" value="${escapeHtml(view.antiForgery)}"><button type="submit">Reveal</button></form>`);
}

export function revealedPage(handover: Handover, value: string): Page {
  const list = (items: string[]) => `<ol>${items.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>`;
  return layout(200, `Client secret for ${handover.appName}`, `
<h1>Client secret for ${escapeHtml(handover.appName)}</h1>
<p class="note">Shown once. Copy it now: reloading this page, or opening the link again, will not show it again.</p>
<div class="secret"><input id="secret" type="text" readonly autocomplete="off" spellcheck="false" aria-label="Client secret value" value="${escapeHtml(value)}">
<button id="copy" type="button">Copy</button></div><p id="copied" role="status"></p>
${rows([
    ['Application (client) ID', handover.appId], ['Directory (tenant) ID', handover.tenant.id], ['Directory name', handover.tenant.name],
    ['Vendor', handover.vendor], ['Secret valid until', handover.secretExpiresAt && utc(handover.secretExpiresAt)],
  ])}
${handover.nextSteps.length ? `<h2>Next steps${handover.vendor ? ` in ${escapeHtml(handover.vendor)}` : ''}</h2>${list(handover.nextSteps)}` : ''}
${handover.fields.length ? `<h2>What ${escapeHtml(handover.vendor ?? 'the vendor')} asks for</h2>${list(handover.fields)}` : ''}`, true);
}

export function messagePage(status: number, title: string, message: string): Page {
  return layout(status, title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

export const pages = {
  notFound: () => messagePage(404, 'No such link', 'This link does not exist. Check that you opened the whole link from your Onboard message.'),
  alreadyRevealed: (at: string) => messagePage(410, 'Already revealed', `This secret was already revealed at ${utc(at)}, and then deleted. If that was not you, tell IT at once and ask for a rotation: type "rotate secret for <app>" to Onboard in Teams.`),
  expired: (at: string) => messagePage(410, 'Link expired', `This link expired at ${utc(at)} without being used; the secret was withdrawn. Ask for a rotation: type "rotate secret for <app>" to Onboard in Teams.`),
  replaced: () => messagePage(410, 'Link replaced', 'Onboard sent you a newer link for this secret; this one no longer works. Use the link in your newest Onboard message.'),
  gone: () => messagePage(410, 'Secret no longer available', 'The vault no longer holds this secret, so it was withdrawn. Ask for a rotation: type "rotate secret for <app>" to Onboard in Teams.'),
  unavailable: () => messagePage(503, 'Try again in a minute', 'The vault did not answer. Nothing was used up: open the link again in a minute and press Reveal.'),
  forged: () => messagePage(403, 'Open the link again', 'This request did not come from the page this link shows, or the page is out of date. Nothing was used up: open the link again and press Reveal.'),
  tooMany: (seconds: number) => messagePage(429, 'Too many requests', `Too many requests from your address. Wait ${seconds} second${seconds === 1 ? '' : 's'}, then try again.`),
  methodNotAllowed: () => messagePage(405, 'Not allowed', 'This page can only be opened, or revealed with its button.'),
  tooLarge: () => messagePage(413, 'Request too large', 'The request was larger than this page ever sends.'),
  lengthRequired: () => messagePage(411, 'Length required', 'The request did not say how long it is.'),
  notRecipient: (recipientName: string) => messagePage(403, `This link is for ${recipientName}`, `This link is for ${recipientName}. It has not been used. ${recipientName} has been told that someone else opened it. If you need a secret for this app, ask Onboard in Teams.`),
  signInRequired: () => messagePage(403, 'Sign in first', 'Only the person this link was made for can reveal it, signed in. Nothing was used up: open the link again and sign in.'),
  signInFailed: (why: string) => messagePage(400, 'Sign-in did not complete', `${why} Nothing was used up: open the link again and sign in.`),
  failed: () => messagePage(500, 'Something went wrong', 'Nothing was used up. Try again in a minute; if it keeps happening, tell IT.'),
};
