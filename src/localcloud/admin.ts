import type { Core } from './core';
import type { LocalRequest, Reply } from './http';
import { handleSignInAdmin } from './signin';
import { findServicePrincipalByAppId } from './tenant';

/**
 * Test and developer controls under `/_localcloud/` (loopback only, like everything else here):
 *   GET    /_localcloud/faults            rules and counts
 *   PUT    /_localcloud/faults            replace the rules (a rule or an array)
 *   POST   /_localcloud/faults            add rules
 *   DELETE /_localcloud/faults            remove all rules and zero the counts
 *   GET    /_localcloud/faults/counts     counts only
 *   POST   /_localcloud/reset             back to the seed tenant
 *   PATCH  /_localcloud/users/{id}        {accountEnabled}: block or unblock a user's sign-in (the periodic review's leaver check)
 *   PATCH  /_localcloud/servicePrincipals/{appId}   {accountEnabled}: "Enabled for users to sign-in?" on an enterprise app,
 *                                          as an admin sets it in the Entra admin center, for any app (Onboard's own included)
 *   GET    /_localcloud/contract-violations
 *   GET    /_localcloud/requests           Graph and Key Vault requests by client id: {"<clientId>":[{method,path}]}
 *   GET    /_localcloud/health            ok, the tenant, and eventual consistency's mode and counts
 *   POST   /_localcloud/signin/redirect-uris   {appId, uri}: a web redirect URI for interactive sign-in (signin.ts)
 */
const json = (status: number, body: unknown): Reply => ({ status, json: body, headers: { 'Cache-Control': 'no-store' } });

export async function handleAdmin(core: Core, req: LocalRequest): Promise<Reply> {
  const path = req.path.replace(/\/$/, '');
  const route = `${req.method} ${path}`;
  try {
    switch (route) {
      case 'GET /_localcloud/health': return json(200, { ok: true, tenantId: core.state.tenant.id, consistency: core.consistency.counts() });
      case 'GET /_localcloud/faults': return json(200, { rules: core.faults.list(), counts: core.faults.counts() });
      case 'GET /_localcloud/faults/counts': return json(200, core.faults.counts());
      case 'PUT /_localcloud/faults':
      case 'POST /_localcloud/faults': {
        const body = JSON.parse(req.bodyText || 'null') as unknown;
        const rules = (body && typeof body === 'object' && 'rules' in body ? (body as { rules: unknown }).rules : body) as Parameters<typeof core.faults.set>[0];
        if (route.startsWith('PUT')) core.faults.set(rules);
        else core.faults.add(rules);
        return json(200, { rules: core.faults.list() });
      }
      case 'DELETE /_localcloud/faults': core.faults.clear(); return { status: 204 };
      case 'POST /_localcloud/reset': await core.reset(); return { status: 204 };
      case 'GET /_localcloud/requests': return json(200, Object.fromEntries(core.requestsByClient));
      case 'GET /_localcloud/contract-violations': return json(200, { violations: core.violations });
      default: {
        // Tests: block a user's sign-in (accountEnabled false) or bring it back, as an admin would in Entra.
        const user = /^PATCH \/_localcloud\/users\/([^/]+)$/.exec(route);
        if (user) {
          const found = core.state.users[user[1]];
          const body = JSON.parse(req.bodyText || 'null') as { accountEnabled?: unknown } | null;
          if (!found) return json(404, { error: { code: 'NotFound', message: `No user ${user[1]}.` } });
          if (typeof body?.accountEnabled !== 'boolean') return json(400, { error: { code: 'BadRequest', message: 'Send {"accountEnabled": true|false}.' } });
          found.accountEnabled = body.accountEnabled;
          return json(200, { id: found.id, accountEnabled: found.accountEnabled });
        }
        const app = /^PATCH \/_localcloud\/servicePrincipals\/([^/]+)$/.exec(route);
        if (app) {
          const found = findServicePrincipalByAppId(core.state, app[1]);
          const body = JSON.parse(req.bodyText || 'null') as { accountEnabled?: unknown } | null;
          if (!found) return json(404, { error: { code: 'NotFound', message: `No service principal for appId ${app[1]}.` } });
          if (typeof body?.accountEnabled !== 'boolean') return json(400, { error: { code: 'BadRequest', message: 'Send {"accountEnabled": true|false}.' } });
          found.data.accountEnabled = body.accountEnabled;
          return json(200, { appId: found.data.appId, accountEnabled: found.data.accountEnabled });
        }
        return handleSignInAdmin(core, req) ?? json(404, { error: { code: 'NotFound', message: `No local cloud control at ${req.method} ${req.path}.` } });
      }
    }
  } catch (error) {
    return json(400, { error: { code: 'BadRequest', message: error instanceof Error ? error.message : String(error) } });
  }
}
