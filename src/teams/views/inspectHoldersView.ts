import type { HoldersOfType } from '../../app/helpdesk/findPermissionHolders';
import { escapeMarkdown as md } from './markdown';

/** A long list stays readable in Teams; the rest is counted. */
const MAX_LISTED = 60;

export function inspectHoldersView(permission: string, results: HoldersOfType[]) {
  return {
    heading: `Apps holding ${permission}`,
    sections: results.map((r) => {
      const admin = r.holders.filter((h) => h.consent === 'admin').length;
      return {
        title: `${permission} (${r.type}): ${r.holders.length === 0 ? 'no app' : r.holders.length === 1 ? '1 app' : `${r.holders.length} apps`}`,
        detail: `${r.description} · ${r.risk === 'tier0' ? 'Tier 0' : `${r.risk} risk`}${r.type === 'Delegated' && r.holders.length ? ` · ${admin} with admin consent, ${r.holders.length - admin} by some people's own consent` : ''}`,
        riskColor: r.risk === 'high' || r.risk === 'tier0' ? 'Attention' : r.risk === 'medium' ? 'Warning' : 'Default',
        holders: r.holders.slice(0, MAX_LISTED).map((h) => ({ name: md(h.displayName), consent: h.consent === 'admin' ? (r.type === 'Application' ? 'granted' : 'admin consent') : `per-user consent: ${h.users ?? 0} ${h.users === 1 ? 'person' : 'people'}` })),
        more: r.holders.length > MAX_LISTED ? `and ${r.holders.length - MAX_LISTED} more` : '',
      };
    }),
    footer: 'Type **check <app name>** for one app\'s permissions and credentials.',
  };
}
