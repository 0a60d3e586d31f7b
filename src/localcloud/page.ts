import type { Core } from './core';
import type { Reply } from './http';
import type { PasswordCredential, RequiredResourceAccess, StoredObject } from './model';
import { findServicePrincipalByAppId } from './tenant';

/**
 * `GET /`: what exists in the local tenant, for someone trying Onboard who wants to see what the bot created.
 * Secrets appear only as hints and vault entries only by name: the page never shows a secret value.
 */
const LIMIT = 200;

const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function table(headers: string[], rows: string[][], total: number): string {
  const note = total > rows.length ? `<p class="note">Showing ${rows.length} of ${total}.</p>` : '';
  if (rows.length === 0) return '<p class="note">None.</p>';
  return `${note}<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function nameOf(core: Core, id: string): string {
  const s = core.state;
  return s.servicePrincipals[id]?.data.displayName as string ?? s.users[id]?.displayName ?? s.groups[id]?.displayName ?? s.applications[id]?.data.displayName as string ?? id;
}

function permissionNames(core: Core, rra: RequiredResourceAccess[]): string {
  return rra.map((r) => {
    const sp = findServicePrincipalByAppId(core.state, r.resourceAppId);
    if (!sp) return `<span class="warn">unknown API ${esc(r.resourceAppId)}</span> (${r.resourceAccess.length})`;
    const roles = (sp.data.appRoles as { id: string; value: string }[]) ?? [];
    const scopes = (sp.data.oauth2PermissionScopes as { id: string; value: string }[]) ?? [];
    const names = r.resourceAccess.map((a) => (a.type === 'Role' ? roles : scopes).find((p) => p.id === a.id)?.value ?? a.id);
    return `${esc(sp.data.displayName)}: ${esc(names.join(', '))}`;
  }).join('<br>');
}

function credentials(app: StoredObject): string {
  const passwords = (app.data.passwordCredentials as PasswordCredential[]).map((p) => `secret ${esc(p.hint)}… (${esc(p.displayName ?? 'unnamed')}, until ${esc(p.endDateTime?.slice(0, 10))})`);
  const keys = ((app.data.keyCredentials as { displayName: string | null; endDateTime: string | null }[]) ?? []).map((k) => `certificate ${esc(k.displayName)} (until ${esc(k.endDateTime?.slice(0, 10))})`);
  return [...passwords, ...keys].join('<br>') || '—';
}

export function renderPage(core: Core): Reply {
  const s = core.state;
  const apps = Object.values(s.applications);
  const sps = Object.values(s.servicePrincipals);
  const assignments = Object.values(s.appRoleAssignments);
  const grants = Object.values(s.oauth2PermissionGrants);
  const roleName = (resourceId: unknown, roleId: unknown) => ((s.servicePrincipals[resourceId as string]?.data.appRoles as { id: string; value: string }[]) ?? []).find((r) => r.id === roleId)?.value ?? String(roleId);
  const secrets = Object.entries(s.vault.secrets);
  const deleted = Object.entries(s.vault.deleted);
  const sections = [
    `<h2>People</h2>${table(['Name', 'User principal name', 'Object id', 'Onboard role'], Object.values(s.users).map((u) => [esc(u.displayName), esc(u.userPrincipalName), `<code>${esc(u.id)}</code>`, esc(u.onboardRoles.join(', '))]), Object.keys(s.users).length)}`,
    `<h2>Groups</h2>${table(['Name', 'Object id', 'Direct members'], Object.values(s.groups).map((g) => [esc(g.displayName), `<code>${esc(g.id)}</code>`, esc(g.memberIds.map((m) => nameOf(core, m)).join(', '))]), Object.keys(s.groups).length)}`,
    `<h2>App registrations</h2>${table(['Name', 'Application (client) id', 'Owners', 'Requested permissions', 'Credentials'], apps.slice(0, LIMIT).map((a) => [
      esc(a.data.displayName) + (a.data.uniqueName ? `<br><small>${esc(a.data.uniqueName)}</small>` : ''), `<code>${esc(a.data.appId)}</code>`,
      esc(a.meta.ownerIds.map((o) => nameOf(core, o)).join(', ') || '—'), permissionNames(core, a.data.requiredResourceAccess as RequiredResourceAccess[]), credentials(a)]), apps.length)}`,
    `<h2>Service principals (enterprise apps)</h2>${table(['Name', 'App id', 'Object id', 'Type'], sps.slice(0, LIMIT).map((p) => [esc(p.data.displayName), `<code>${esc(p.data.appId)}</code>`, `<code>${esc(p.data.id)}</code>`, esc(p.data.servicePrincipalType)]), sps.length)}`,
    `<h2>Application permissions granted (app role assignments)</h2>${table(['Granted to', 'API', 'Permission'], assignments.slice(0, LIMIT).map((a) => [esc(a.principalDisplayName), esc(a.resourceDisplayName), esc(roleName(a.resourceId, a.appRoleId))]), assignments.length)}`,
    `<h2>Delegated permissions granted</h2>${table(['Client', 'API', 'Scopes', 'For'], grants.slice(0, LIMIT).map((g) => [esc(nameOf(core, g.clientId as string)), esc(nameOf(core, g.resourceId as string)), esc(g.scope), esc(g.consentType === 'AllPrincipals' ? 'everyone (admin consent)' : nameOf(core, g.principalId as string))]), grants.length)}`,
    `<h2>Key Vault secrets (names only)</h2>${table(['Name', 'Versions', 'Content type', 'Expires', 'Enabled'], secrets.map(([name, versions]) => {
      const latest = versions[versions.length - 1];
      return [esc(name), String(versions.length), esc(latest.contentType ?? '—'), latest.exp ? esc(new Date(latest.exp * 1000).toISOString()) : '—', latest.enabled ? 'yes' : 'no'];
    }), secrets.length)}`,
    `<h2>Deleted secrets (recoverable)</h2>${table(['Name', 'Deleted', 'Purged automatically'], deleted.map(([name, d]) => [esc(name), esc(new Date(d.deletedDate * 1000).toISOString()), esc(new Date(d.scheduledPurgeDate * 1000).toISOString().slice(0, 10))]), deleted.length)}`,
  ];
  const counts = core.faults.counts();
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(s.tenant.displayName)} — Onboard local cloud</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}code{font-size:12px}.note{color:#666}.warn{color:#a40}</style></head>
<body><h1>${esc(s.tenant.displayName)}</h1><p>Tenant <code>${esc(s.tenant.id)}</code> · domains ${esc(s.tenant.verifiedDomains.join(', '))} · faults injected so far: ${counts.total}</p>
${sections.join('\n')}</body></html>`;
  return { status: 200, text: html, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } };
}
