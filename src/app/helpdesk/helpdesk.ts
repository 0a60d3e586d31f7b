import type { FindPermissionHolders } from './findPermissionHolders';
import type { InspectApp } from './inspectApp';
import type { ListExpiringSecrets } from './listExpiringSecrets';
import type { RequestDriftFix } from './requestDriftFix';

/** The helpdesk use cases the Teams handlers and the CLI call; absent where Microsoft Graph is not configured. */
export interface Helpdesk {
  inspect: InspectApp;
  holders: FindPermissionHolders;
  expiring: ListExpiringSecrets;
  fixDrift: RequestDriftFix;
}
