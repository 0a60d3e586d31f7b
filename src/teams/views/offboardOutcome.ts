import type { OffboardPlan } from '../../domain/offboarding';
import type { RegistrationRequest } from '../../domain/request';
import { escapeMarkdown as md } from './markdown';

/** Entra keeps a deleted application restorable this long. */
const DELETED_ITEMS_MS = 30 * 86_400_000;
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : 'unknown');
const when = (iso: string | undefined) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : 'unknown');

/** What offboarding has done so far, read from the request's own record: the card's result section. */
export function offboardFacts(request: RegistrationRequest, plan: OffboardPlan): { title: string; value: string }[] {
  const record = request.offboarding;
  if (!record?.disabledAt) return [];
  const deletedAt = record.removal?.application?.at;
  const removed = (step: 'appRoleAssignments' | 'delegatedGrants' | 'passwords' | 'certificates') => record.removal?.[step]?.removed ?? 0;
  return [
    { title: 'Application (client) ID', value: plan.target.appId },
    { title: 'Sign-in disabled', value: when(record.disabledAt) },
    ...(record.reEnabledAt ? [{ title: 'Sign-in on again', value: `${when(record.reEnabledAt)}; nothing was removed` }] : []),
    ...(!record.reEnabledAt && !deletedAt ? [{ title: 'Removal due', value: record.restore ? `called off by ${md(record.restore.by.name)}` : day(record.removeAfter) }] : []),
    ...(record.broughtBack ? [{ title: 'Back from deleted items', value: `${when(record.broughtBack.application)}; its permissions were asked for again${record.regrantRequestId ? ` as ${record.regrantRequestId}` : ''}` }] : []),
    ...(deletedAt && !record.broughtBack ? [
      { title: 'Removed', value: `${removed('appRoleAssignments') + removed('delegatedGrants')} grant(s), ${removed('passwords')} secret(s), ${removed('certificates')} certificate(s)` },
      { title: 'Registration deleted', value: `${when(deletedAt)}; in deleted items until ${day(new Date(Date.parse(deletedAt) + DELETED_ITEMS_MS).toISOString())}` },
    ] : []),
  ];
}

/** The card's one-line outcome for an offboard request that has left the approval. */
export function offboardOutcome(request: RegistrationRequest, plan: OffboardPlan): string {
  const record = request.offboarding;
  const name = md(plan.displayName);
  switch (request.state) {
    case 'Disabled':
      return record?.restore
        ? `Restore ordered by ${md(record.restore.by.name)}: Onboard turns sign-in back on, and removes nothing.`
        : `Sign-in disabled; removal on ${day(record?.removeAfter)}. Type **restore ${name}** before then to undo (approvers).`;
    case 'Offboarded': {
      if (record?.restore) return `Restore ordered by ${md(record.restore.by.name)}: Onboard brings the app back from deleted items and turns sign-in on; its approved permissions then go to the approvers again.`;
      const deletedAt = record?.removal?.application?.at ?? record?.verifiedAt;
      return `Offboarded; the registration is in deleted items until ${deletedAt ? day(new Date(Date.parse(deletedAt) + DELETED_ITEMS_MS).toISOString()) : 'the end of the 30 days Entra keeps it'}.`;
    }
    case 'Restored':
      if (record?.broughtBack) return `Restored${record.restore ? ` by ${md(record.restore.by.name)}` : ''} from deleted items: sign-in is on again; its approved permissions wait for approval${record.regrantRequestId ? ` as ${record.regrantRequestId}` : ''}.`;
      return `Restored${record?.restore ? ` by ${md(record.restore.by.name)}` : ''}: sign-in is on again, and nothing was removed.`;
    case 'Failed':
      return `Offboarding stopped: ${md(request.failure?.message ?? 'unknown error')}`;
    default:
      return '';
  }
}
