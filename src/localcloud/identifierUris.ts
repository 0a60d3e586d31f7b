/**
 * The application ID URI formats Entra accepts, from "Restrictions on identifier URIs of Microsoft Entra
 * applications" (https://learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions):
 *
 *   api://<appId>                      api://<tenantId>/<appId>           api://<tenantId>/<string>
 *   api://<string>/<appId>             https://<verifiedDomain>/<string>  https://<string>.<verifiedDomain>[/<string>]
 *   api://<string>.<verifiedDomain>/<string>      (the initial *.onmicrosoft.com domain counts as verified)
 *
 * Anything else, including http://, a bare https://<verifiedDomain> and api://<appId>/<string>, is refused.
 */
export function isAllowedIdentifierUri(uri: string, ids: { appId: string; tenantId: string; verifiedDomains: string[] }): boolean {
  const match = /^(api|https):\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(uri);
  if (!match) return false;
  const [, scheme, host, rest = ''] = match;
  const lowerHost = host.toLowerCase();
  const path = rest.replace(/^\//, '');
  const appId = ids.appId.toLowerCase();
  const tenantId = ids.tenantId.toLowerCase();
  const domains = ids.verifiedDomains.map((d) => d.toLowerCase());
  const subdomainOf = (h: string) => domains.some((d) => h.endsWith(`.${d}`));
  if (scheme.toLowerCase() === 'api') {
    if (lowerHost === appId) return path === '';
    if (lowerHost === tenantId) return path !== '';
    if (path.toLowerCase() === appId) return true;
    return (domains.includes(lowerHost) || subdomainOf(lowerHost)) && path !== '';
  }
  if (domains.includes(lowerHost)) return path !== '';
  return subdomainOf(lowerHost);
}
