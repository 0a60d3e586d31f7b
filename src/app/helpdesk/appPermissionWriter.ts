import type { DriftFixChange } from '../../domain/driftFix';

/** Grants and removals of one permission on an existing app's service principal: each repeatable without harm. */
export interface AppPermissionWriter {
  grant(servicePrincipalId: string, change: DriftFixChange): Promise<'granted' | 'exists'>;
  revoke(servicePrincipalId: string, change: DriftFixChange): Promise<'removed' | 'absent'>;
}
