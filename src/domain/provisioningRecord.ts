/** What a provisioning saga leaves on its request: the lease it runs under and the result of each step. */

export interface Lease {
  owner: string;
  until: string;
}

/** The result each step leaves behind: object ids and keyIds, never a secret value. */
export interface ProvisioningResults {
  application: { id: string; appId: string };
  exposeApi: { identifierUris: string[] };
  servicePrincipal: { id: string };
  owners: { ownerIds: string[] };
  password: { keyId: string; displayName: string; endDateTime: string; hint?: string | null };
  grants: { appRoleAssignmentIds: string[]; delegatedGrantIds: string[] };
  verify: { permissions: { resource: string; name: string; type: 'Application' | 'Delegated'; verified: boolean }[] };
  vault: { name: string; expiresAt?: string };
}

export type ProvisioningStep = keyof ProvisioningResults;

export interface ProvisioningRecord {
  /**
   * The idempotency key: the application's uniqueName, `onboard-<request id>-<random>`, recorded before the
   * first upsert so a resumed saga reuses it, and nobody can create an app under it first.
   */
  key: string;
  /** Set just before the first upsert is sent: until then, an application under `key` cannot be Onboard's. */
  applicationRequestedAt?: string;
  attempt: number;
  startedAt: string;
  tenant?: { id: string; displayName: string };
  steps: { [S in ProvisioningStep]?: ProvisioningResults[S] & { at: string } };
  /** Set just before addPassword is sent: if the saga dies before recording the result, the outcome is unknown. */
  passwordPending?: { displayName: string; at: string };
  /** The vault would not take the secret, so its password was removed from the app: nobody holds a live secret. */
  secretNotDelivered?: { at: string; reason: string };
  completedAt?: string;
}
