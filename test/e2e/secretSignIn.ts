import { request } from 'node:https';

export interface LocalCloudAccess {
  /** The local cloud's Entra authority, from `onboard dev`'s ready line. */
  authority: string;
  tenantId: string;
  caCertPem: string;
}

/**
 * What a vendor does with the handed-over secret: a client-credentials token for Microsoft Graph.
 * Returns whether it signed in and the application permissions its token carries; never the secret or token.
 */
export function signInWithSecret(cloud: LocalCloudAccess, appId: string, secret: string): Promise<{ signedIn: boolean; status: number; roles: string[] }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: 'https://graph.microsoft.com/.default' }).toString();
  const url = new URL(`${cloud.authority}/${cloud.tenantId}/oauth2/v2.0/token`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca: cloud.caCertPem, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }, timeout: 30_000 }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        const token = res.statusCode === 200 ? (JSON.parse(text) as { access_token: string }).access_token : undefined;
        const claims = token ? (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { roles?: string[] }) : {};
        resolve({ signedIn: Boolean(token), status: res.statusCode ?? 0, roles: (claims.roles ?? []).sort() });
      });
    });
    req.on('timeout', () => req.destroy(new Error('the local cloud did not answer the token request within 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}
