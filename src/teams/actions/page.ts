import { z } from 'zod';
import { helpdeskActor } from '../../app/helpdesk/helpdeskAccess';
import { renderCard } from '../cards';
import { auditView } from '../views/listViews';
import { expiringSecretsView } from '../views/expiringSecretsView';
import { inspectHoldersView } from '../views/inspectHoldersView';
import { inspectView } from '../views/inspectView';
import { pagedLists } from '../views/paging';
import { reviewListView } from '../views/reviewView';
import type { ActionHandler } from './actionRouter';

/** Card data is untrusted: which list and page, and the question to ask again, each bounded and re-checked. */
const pageData = z.object({
  list: z.enum(pagedLists as [string, ...string[]]),
  page: z.coerce.number().int().min(0).max(100_000),
  subject: z.string().min(1).max(200),
  kind: z.string().max(20).optional(),
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `card.page`: Next or Previous on a long list. The list is read again, with the same access rule as the
 * command that made the card, and the card is replaced in place by the page asked for; nothing on the card
 * but the question decides what is shown.
 */
export const pageAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const parsed = pageData.safeParse(data);
  if (!parsed.success) return 'That page button is not valid any more. Ask the question again.';
  const { list, page, subject, kind } = parsed.data;
  if (list === 'reviews') {
    // Approvers only, as the `reviews` command: the list use case decides, and says so to anyone else.
    if (!deps.reviews) return 'Reviews need Microsoft Graph, and this Onboard has none configured.';
    const listed = await deps.reviews.list.execute(actor);
    return listed.kind === 'refused' ? listed.message : { card: renderCard('reviewList', reviewListView(listed.reviews, page)) };
  }
  const access = await helpdeskActor(actor, deps.membership, deps.groups);
  if (!access.ok) {
    await deps.audit.append({ at: new Date().toISOString(), action: `helpdesk.page.${list}`, outcome: 'refused', actor, correlationId, detail: `not helpdesk or approver; asked about ${subject.slice(0, 120)}` });
    return access.message;
  }
  const approver = access.actor.isApprover;
  if (list === 'audit') {
    if (!/^REQ-[A-Z0-9]{4,16}$/.test(subject)) return 'That page button is not valid any more. Type **audit REQ-…** again.';
    return { card: renderCard('audit', auditView(subject, await deps.audit.forRequest(subject), page)) };
  }
  if (!deps.helpdesk) return 'Onboard cannot read the directory here: Microsoft Graph is not configured. Ask your Onboard administrator.';
  if (list === 'holders') {
    const type = kind === 'Application' || kind === 'Delegated' ? kind : undefined;
    const outcome = await deps.helpdesk.holders.execute({ permission: subject, type });
    if (outcome.kind === 'unknown-permission') return `"${outcome.permission}" is not a Microsoft Graph permission.`;
    return { card: renderCard('inspectHolders', inspectHoldersView(outcome.permission, outcome.results, { page, type })) };
  }
  if (list === 'expiring') {
    const days = Number(subject);
    if (!Number.isInteger(days) || days < 1 || days > 3650) return 'That page button is not valid any more. Type **secrets expiring in 30 days** again.';
    return { card: renderCard('expiringSecrets', expiringSecretsView(await deps.helpdesk.expiring.execute({ days }), days, { canRotate: approver, page })) };
  }
  if (!GUID.test(subject)) return 'That page button is not valid any more. Type **check [app]** again.';
  const outcome = await deps.helpdesk.inspect.execute({ target: subject, actor: access.actor });
  if (outcome.kind !== 'found') return 'That app is no longer in the directory.';
  return { card: renderCard('inspect', inspectView(outcome.inspection, { approver, page })) };
};
