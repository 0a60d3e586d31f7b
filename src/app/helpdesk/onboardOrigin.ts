import { createdThisApp } from '../../domain/appOrigin';
import { taggedRequestId, type AppRecord } from '../../domain/inspection';
import type { RegistrationRequest } from '../../domain/request';
import type { RequestStore } from '../workflowPorts';

/**
 * The request whose saga created the app, from Onboard's own rows: the only thing that makes an app "Onboard's".
 * A row saved before the store indexed created apps is found through the request id in the app's tag, and then
 * counts only if its own record names this very app (appId and object id): the tag says where to look, never what
 * is true. An enterprise app (a service principal of another tenant's app) was never created by Onboard.
 */
export async function requestThatMade(requests: RequestStore, app: Pick<AppRecord, 'appId' | 'id' | 'tags' | 'kind'>): Promise<RegistrationRequest | undefined> {
  if (app.kind === 'enterprise') return undefined;
  const ids = { appId: app.appId, objectId: app.id };
  const indexed = await requests.findByApplication(ids);
  if (indexed) return indexed;
  const hinted = taggedRequestId(app);
  const row = hinted ? (await requests.get(hinted))?.value : undefined;
  return row && createdThisApp(row, ids) ? row : undefined;
}
