import type { LocalRequest, Reply } from './http';
import type { SecretVersion } from './model';

/** Key Vault's response bodies (SecretBundle, SecretItem, DeletedSecretBundle …), built from stored versions. */
const PAGE = 25;

function attributes(v: SecretVersion): Record<string, unknown> {
  return {
    enabled: v.enabled, ...(v.nbf !== undefined ? { nbf: v.nbf } : {}), ...(v.exp !== undefined ? { exp: v.exp } : {}),
    created: v.created, updated: v.updated, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90,
  };
}

const optional = (v: SecretVersion) => ({ ...(v.contentType !== undefined ? { contentType: v.contentType } : {}), ...(v.tags ? { tags: v.tags } : {}) });

export function secretBundle(req: LocalRequest, name: string, v: SecretVersion, withValue: boolean): Record<string, unknown> {
  return { ...(withValue ? { value: v.value } : {}), ...optional(v), id: `${req.origin}/secrets/${name}/${v.version}`, attributes: attributes(v) };
}

export function secretItem(req: LocalRequest, name: string, v: SecretVersion, versioned: boolean): Record<string, unknown> {
  return { id: `${req.origin}/secrets/${name}${versioned ? `/${v.version}` : ''}`, attributes: attributes(v), ...optional(v) };
}

type Deleted = { versions: SecretVersion[]; deletedDate: number; scheduledPurgeDate: number };

export function deletedBundle(req: LocalRequest, name: string, d: Deleted): Record<string, unknown> {
  const latest = d.versions[d.versions.length - 1];
  return { recoveryId: `${req.origin}/deletedsecrets/${name}`, deletedDate: d.deletedDate, scheduledPurgeDate: d.scheduledPurgeDate, ...secretBundle(req, name, latest, false) };
}

export function deletedItem(req: LocalRequest, name: string, d: Deleted): Record<string, unknown> {
  const latest = d.versions[d.versions.length - 1];
  return { recoveryId: `${req.origin}/deletedsecrets/${name}`, deletedDate: d.deletedDate, scheduledPurgeDate: d.scheduledPurgeDate, ...secretItem(req, name, latest, false) };
}

/** One page of a list, with Key Vault's `nextLink` ($skiptoken) when more remain. */
export function listPage(req: LocalRequest, items: Record<string, unknown>[]): Reply {
  const size = Math.min(Math.max(Number(req.query.get('maxresults') ?? PAGE) || PAGE, 1), PAGE);
  const offset = Number(req.query.get('$skiptoken') ?? 0) || 0;
  const page = items.slice(offset, offset + size);
  const json: Record<string, unknown> = { value: page };
  if (offset + size < items.length) {
    const next = new URLSearchParams(req.query);
    next.set('$skiptoken', String(offset + size));
    json.nextLink = `${req.origin}${req.path}?${next.toString()}`;
  }
  return { status: 200, json };
}
