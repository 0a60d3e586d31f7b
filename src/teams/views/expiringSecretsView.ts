import type { ExpiringCredential } from '../../app/helpdesk/listExpiringSecrets';
import { escapeMarkdown as md } from './markdown';
import { rotateVerb } from './helpdeskVerbs';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Secrets and certificates of Onboard-made apps that end soon; approvers get a Rotate button per app. */
export function expiringSecretsView(expiring: ExpiringCredential[], days: number, options: { canRotate: boolean; heading?: string }) {
  const rotatable = new Set<string>();
  const items = expiring.map((e) => {
    const c = e.credential;
    const first = !rotatable.has(e.app.appId) && c.kind === 'secret';
    if (first) rotatable.add(e.app.appId);
    return {
      app: md(e.app.displayName),
      detail: `${c.kind === 'secret' ? `Secret ${md(c.hint)}` : 'Certificate'} ${c.name ? `(${md(c.name)})` : ''} · App ID ${e.app.appId}${e.requestId ? ` · ${e.requestId}` : ''}`.replace(/\s+/g, ' '),
      state: c.state === 'expired' ? `expired ${c.end?.slice(0, 10)}` : `ends ${c.end?.slice(0, 10)}, in ${plural(Math.max(0, c.daysLeft ?? 0), 'day')}`,
      color: c.state === 'expired' ? 'Attention' : 'Warning',
      canRotate: options.canRotate && first,
      appId: e.app.appId,
    };
  });
  return {
    heading: options.heading ?? `Secrets of Onboard-made apps ending within ${plural(days, 'day')}`,
    summary: items.length ? `${plural(items.length, 'credential')} on ${plural(new Set(expiring.map((e) => e.app.appId)).size, 'app')}.` : `None: no secret or certificate of an Onboard-made app ends within ${plural(days, 'day')}.`,
    items,
    footer: options.canRotate ? 'Rotate issues a new secret through approval and hands it to the requester by a one-time link.' : 'An approver can rotate these: type **rotate secret for <app>**.',
    verbs: { rotate: rotateVerb },
  };
}
