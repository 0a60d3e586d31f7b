import type { HoldersOfType } from '../../app/helpdesk/findPermissionHolders';
import { escapeMarkdown as md } from './markdown';
import { clip, pageOf, pageSizes } from './paging';

/** Every holder can be reached: each type's list is paged alike, Next and Previous ask the question again. */
export function inspectHoldersView(permission: string, results: HoldersOfType[], options: { page?: number; type?: string } = {}) {
  const longest = Math.max(0, ...results.map((r) => r.holders.length));
  const { pager } = pageOf([], 'holders', options.page ?? 0, { subject: permission, kind: options.type }, longest);
  const at = pager.page;
  return {
    heading: `Apps holding ${permission}`,
    pager,
    sections: results.map((r) => {
      const shown = pageOf(r.holders, 'holders', at, { subject: permission }).items;
      const first = Math.min(r.holders.length, at * pageSizes.holders);
      const admin = r.holders.filter((h) => h.consent === 'admin').length;
      return {
        title: `${permission} (${r.type}): ${r.holders.length === 0 ? 'no app' : r.holders.length === 1 ? '1 app' : `${r.holders.length} apps`}`,
        detail: `${r.description} · ${r.risk === 'tier0' ? 'Tier 0' : `${r.risk} risk`}${r.type === 'Delegated' && r.holders.length ? ` · ${admin} with admin consent, ${r.holders.length - admin} by some people's own consent` : ''}`,
        riskColor: r.risk === 'high' || r.risk === 'tier0' ? 'Attention' : r.risk === 'medium' ? 'Warning' : 'Default',
        holders: (first < r.holders.length ? shown : []).map((h) => ({ name: md(clip(h.displayName)), consent: h.consent === 'admin' ? (r.type === 'Application' ? 'granted' : 'admin consent') : `per-user consent: ${h.users ?? 0} ${h.users === 1 ? 'person' : 'people'}` })),
        more: r.holders.length > 0 && first >= r.holders.length ? `All ${r.holders.length} are on earlier pages.` : '',
      };
    }),
    footer: 'Type **check [app name]** for one app\'s permissions and credentials.',
  };
}
