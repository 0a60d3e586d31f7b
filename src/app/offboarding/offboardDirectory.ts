import type { OffboardTarget } from '../../domain/offboarding';

/** What is left of an app, read back after (or between) offboarding's steps. */
export interface Leftovers {
  appRoleAssignments: number;
  delegatedGrants: number;
  passwords: number;
  certificates: number;
  /** The registration is still live under /applications. */
  applicationLive: boolean;
  /** The registration is in /directory/deletedItems, restorable. */
  applicationDeleted: boolean;
}

/**
 * The directory writes offboarding makes, with the worker's Graph roles (docs/deploy.md): each repeatable, each
 * answering how many things it removed (0 when a previous run already did), so a resumed step records the truth.
 */
export interface OffboardDirectory {
  setSignIn(servicePrincipalId: string, enabled: boolean): Promise<void>;
  /** The service principal's accountEnabled as Graph reads it now; undefined when there is no such service principal. */
  signInEnabled(servicePrincipalId: string): Promise<boolean | undefined>;
  removeAppRoleAssignments(servicePrincipalId: string): Promise<number>;
  removeDelegatedGrants(servicePrincipalId: string): Promise<number>;
  removePasswords(applicationObjectId: string): Promise<number>;
  removeCertificates(applicationObjectId: string): Promise<number>;
  /** Soft-deletes the application; 0 when it is already in deleted items. */
  deleteApplication(applicationObjectId: string): Promise<number>;
  leftovers(target: OffboardTarget): Promise<Leftovers>;
  /** Brings a soft-deleted application or service principal back from deleted items; 0 when it is already live. */
  restoreDeleted(objectId: string, kind: 'application' | 'servicePrincipal'): Promise<number>;
}
