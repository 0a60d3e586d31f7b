import type { ExpiringCredential } from '../../app/helpdesk/listExpiringSecrets';
import { escapeMarkdown as md } from './markdown';
import { rotateVerb } from './helpdeskVerbs';
import { clip, pageOf } from './paging';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Secrets and certificates of Onboard-made apps that end soon; approvers get a Rotate button per app. */
export function expiringSecretsView(expiring: ExpiringCredential[], days: number, options: { canRotate: boolean; heading?: string; page?: number }) {
  const rotatable = new Set<string>();
  const items = expiring.map((e) => {
    const c = e.credential;
    const first = !rotatable.has(e.app.appId) && c.kind === 'secret';
    if (first) rotatable.add(e.app.appId);
    return {
      app: md(clip(e.app.displayName)),
      detail: `${c.kind === 'secret' ? `Secret ${md(c.hint)}` : 'Certificate'} ${c.name ? `(${md(clip(c.name, 80))})` : ''} · App ID ${e.app.appId}${e.requestId ? ` · ${e.requestId}` : ''}`.replace(/\s+/g, ' '),
      state: c.state === 'expired' ? `expired ${c.end?.slice(0, 10)}` : `ends ${c.end?.slice(0, 10)}, in ${plural(Math.max(0, c.daysLeft ?? 0), 'day')}`,
      color: c.state === 'expired' ? 'Attention' : 'Warning',
      canRotate: options.canRotate && first,
      appId: e.app.appId,
    };
  });
  // Rotate buttons are decided over the whole list (one per app), then the list is paged.
  const { items: shown, pager } = pageOf(items, 'expiring', options.page ?? 0, { subject: String(days) });
  return {
    pager,
    heading: options.heading ?? `Secrets of Onboard-made apps ending within ${plural(days, 'day')}`,
    summary: items.length ? `${plural(items.length, 'credential')} on ${plural(new Set(expiring.map((e) => e.app.appId)).size, 'app')}.` : `None: no secret or certificate of an Onboard-made app ends within ${plural(days, 'day')}.`,
    items: shown,
    footer: options.canRotate ? 'Rotate issues a new secret through approval and hands it to the requester by a one-time link.' : 'An approver can rotate these: type **rotate secret for [app]**.',
    verbs: { rotate: rotateVerb },
  };
}
