/**
 * Exactly-once, read from the local cloud's own state (not from the saga's record): for each request, how many
 * applications carry its idempotency key, how many service principals those have, and how many live secrets.
 */
import type { LocalCloud } from '../src/localcloud';
import type { RegistrationRequest } from '../src/domain/request';
import { passwordDisplayName, uniqueNamePrefix } from '../src/domain/provisioning';

export interface Tally {
  /** Requests with more than one app, service principal or live secret of ours. */
  duplicated: string[];
  /** Requests that did not end Provisioned with exactly one app and service principal (and a secret if the plan has one). */
  lost: string[];
}

export function tallyTenant(cloud: LocalCloud, requests: { id: string; issuesSecret: boolean; stored?: RegistrationRequest }[]): Tally {
  const apps = cloud.state.applications;
  const sps = cloud.state.servicePrincipals;
  const now = Date.now();
  const duplicated: string[] = [];
  const lost: string[] = [];
  for (const r of requests) {
    const own = apps.filter((a) => typeof a.uniqueName === 'string' && a.uniqueName.startsWith(uniqueNamePrefix(r.id)));
    const ownSps = sps.filter((s) => own.some((a) => a.appId === s.appId));
    const secrets = own.flatMap((a) => (a.passwordCredentials as { displayName: string; endDateTime: string }[]).filter((p) => p.displayName === passwordDisplayName(r.id) && Date.parse(p.endDateTime) > now));
    if (own.length > 1 || ownSps.length > 1 || secrets.length > 1) duplicated.push(r.id);
    if (r.stored?.state !== 'Provisioned' || own.length === 0 || ownSps.length === 0 || (r.issuesSecret && secrets.length === 0)) lost.push(r.id);
  }
  return { duplicated, lost };
}
