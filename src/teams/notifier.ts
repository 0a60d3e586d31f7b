import { CardFactory, type Activity, type ConversationReference } from 'botbuilder';
import type { CloudAdapter } from 'botbuilder';
import type { RegistrationRequest } from '../domain/request';
import type { CardBook, ConversationBook, Membership, PostedCard } from '../app/workflowPorts';
import type { Logger } from '../logging';
import type { Viewer } from './views/requestView';
import { withDeliveryNote } from './views/note';
import { escapeMarkdown } from './views/markdown';
import { channelApprovalCard, inConversation, rosterApprovers, REFRESH_LIMIT } from './channelCard';

/** `viewerId`: the person the card is for, when known, so someone who has decided sees their decision instead of the buttons. */
export type RenderRequestCard = (request: RegistrationRequest, viewer: Viewer, viewerId?: string) => Record<string, unknown>;

export interface TeamsNotifierDeps {
  adapter: CloudAdapter;
  botAppId: string;
  conversations: ConversationBook;
  cards: CardBook;
  membership: Membership;
  approversGroup?: string;
  render: RenderRequestCard;
  logger: Logger;
}

/** Proactive messages: the approval card to the approvers channel (or each approver), updates in place afterwards. */
export class TeamsRequestNotifier {
  constructor(private readonly deps: TeamsNotifierDeps) {}

  /** Who approval cards reach now: the approvals channel, or each approver who has a personal chat with Onboard. */
  async approvalRecipients(request: RegistrationRequest): Promise<({ kind: 'channel' } | { kind: 'person'; userId: string; name: string })[]> {
    if (await this.deps.conversations.approvalsChannel()) return [{ kind: 'channel' }];
    return (await this.approverReferences(request)).map((r) => ({ kind: 'person' as const, userId: r.user?.aadObjectId ?? '', name: r.user?.name ?? 'an approver' })).filter((r) => r.userId);
  }

  /** The approval card (with a reminder first, for `reminder`) in the approvals channel; false when no channel is set any more. */
  async toChannel(request: RegistrationRequest, reminder: boolean): Promise<boolean> {
    const channel = (await this.deps.conversations.approvalsChannel()) as Partial<ConversationReference> | undefined;
    if (!channel) return false;
    if (reminder) await this.send(channel, { type: 'message', text: reminderText(request) });
    await this.post(request.id, channel, channelApprovalCard(request, this.deps.render(request, 'other'), await this.channelApprovers(request, channel)), 'approvers');
    return true;
  }

  /** The approval card in one approver's personal chat; false when Onboard has no chat with them (any more). */
  async toApprover(request: RegistrationRequest, userId: string, reminder: boolean): Promise<boolean> {
    const reference = (await this.deps.conversations.user(userId)) as Partial<ConversationReference> | undefined;
    if (!reference) return false;
    if (reminder) await this.send(reference, { type: 'message', text: reminderText(request) });
    await this.post(request.id, reference, this.deps.render(request, 'approver', userId), 'approvers');
    return true;
  }

  /** The requester's status card says `note`; anyone unreachable is also news in their chat, so it is noticed. */
  async toRequester(request: RegistrationRequest, note: string, unreachable: string[]): Promise<void> {
    const origin = (await this.deps.cards.forRequest(request.id)).filter((c) => c.audience === 'requester');
    // Approvers in the group who never messaged Onboard were not queued at all: the requester hears how many.
    const never = note.startsWith('Post') ? undefined : await this.unreachableApprovers(request, await this.approverReferences(request));
    const line = never ? `${note} ${never} other approver(s) could not be reached: they have never messaged Onboard. They are offered this request when they do.` : note;
    for (const card of origin) await this.update(card, withDeliveryNote(this.deps.render(request, 'requester', request.requester.id), line));
    if (unreachable.length) await this.toRequestConversation(request.id, escapeMarkdown(`${request.id}: Onboard could not reach ${unreachable.join(', ')} (they blocked or removed Onboard). ${note}`));
  }

  /** Posts the requester's own status card in the conversation they asked from. */
  async trackForRequester(request: RegistrationRequest, reference: Partial<ConversationReference>, activityId: string): Promise<void> {
    await this.deps.cards.record(request.id, { conversation: reference, activityId, audience: 'requester' });
  }

  async changed(request: RegistrationRequest, message: string): Promise<void> {
    await this.updateCards(request);
    if (message) await this.toRequestConversation(request.id, message);
  }

  /** Every card posted for the request shows its state now, each in its reader's view. */
  async updateCards(request: RegistrationRequest): Promise<void> {
    const posted = await this.deps.cards.forRequest(request.id);
    for (const card of posted) {
      const reference = card.conversation as Partial<ConversationReference>;
      const inChannel = card.audience === 'approvers' && reference.conversation?.conversationType === 'channel';
      // A channel card stays read-only for everyone, with each approver's own view coming through `refresh`:
      // without it, the approver view would show its buttons to the whole channel.
      const content = inChannel
        ? channelApprovalCard(request, this.deps.render(request, 'other'), request.state === 'PendingApproval' ? await this.channelApprovers(request, reference) : [])
        : this.deps.render(request, card.audience === 'requester' ? 'requester' : 'approver', reference.user?.aadObjectId);
      await this.update(card, content).catch((error) => this.deps.logger.warn({ err: error, requestId: request.id }, 'could not update a posted card'));
    }
  }

  /** A card for one person only, in their personal chat with Onboard (one-time links go nowhere else); false when there is none yet. */
  async toPerson(userId: string, card: Record<string, unknown>): Promise<boolean> {
    const reference = (await this.deps.conversations.user(userId)) as Partial<ConversationReference> | undefined;
    if (!reference) return false;
    await this.send(reference, cardActivity(card));
    return true;
  }

  /** Any message for one person only, in their personal chat with Onboard; false when there is none yet. */
  async messageToPerson(userId: string, activity: Partial<Activity>): Promise<boolean> {
    const reference = (await this.deps.conversations.user(userId)) as Partial<ConversationReference> | undefined;
    if (!reference) return false;
    await this.send(reference, activity);
    return true;
  }

  async canReach(userId: string): Promise<boolean> {
    return !!(await this.deps.conversations.user(userId));
  }

  /** A text in the conversation the request was made from (the requester's status card's); false when none is recorded. */
  async toRequestConversation(requestId: string, text: string): Promise<boolean> {
    const origin = (await this.deps.cards.forRequest(requestId)).find((c) => c.audience === 'requester');
    if (!origin) return false;
    await this.send(origin.conversation as Partial<ConversationReference>, { type: 'message', text });
    return true;
  }

  /** A card for the approvals channel (the review's escalation card, say); false when no channel is set any more. */
  async cardToApprovalsChannel(card: Record<string, unknown>): Promise<boolean> {
    const channel = (await this.deps.conversations.approvalsChannel()) as Partial<ConversationReference> | undefined;
    if (!channel) return false;
    await this.send(channel, cardActivity(card));
    return true;
  }

  /** A card where approval cards go: the approvals channel, else each approver's personal chat. */
  async toApprovers(card: Record<string, unknown>): Promise<number> {
    if (await this.cardToApprovalsChannel(card)) return 1;
    const group = this.deps.approversGroup;
    const targets: Partial<ConversationReference>[] = [];
    if (group) {
      for (const { userId, reference } of await this.deps.conversations.knownUsers()) {
        if ((await this.deps.membership.memberOf(userId, [group])).has(group)) targets.push(reference as Partial<ConversationReference>);
      }
    }
    for (const reference of targets) await this.send(reference, cardActivity(card));
    return targets.length;
  }

  private async post(requestId: string, reference: Partial<ConversationReference>, card: Record<string, unknown>, audience: PostedCard['audience'], refresh?: object) {
    const activity = cardActivity(refresh ? { ...card, refresh } : card);
    const id = await this.send(reference, activity);
    if (id) await this.deps.cards.record(requestId, { conversation: reference, activityId: id, audience });
  }

  private async update(card: PostedCard, content: Record<string, unknown>) {
    await inConversation(this.deps.adapter, this.deps.botAppId, card.conversation as Partial<ConversationReference>, async (context) => {
      await context.updateActivity({ ...cardActivity(content), id: card.activityId });
    });
  }


  private async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    await inConversation(this.deps.adapter, this.deps.botAppId, reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }


  private async approverReferences(request: RegistrationRequest): Promise<Partial<ConversationReference>[]> {
    const group = this.deps.approversGroup;
    if (!group) return [];
    const found: Partial<ConversationReference>[] = [];
    for (const { userId, reference } of await this.deps.conversations.knownUsers()) {
      if (userId === request.requester.id && !request.selfApprovalAllowed) continue;
      if ((await this.deps.membership.memberOf(userId, [group])).has(group)) found.push(reference as Partial<ConversationReference>);
    }
    return found;
  }

  /** Approvers with no personal chat with Onboard, so nothing could be sent to them; undefined when the directory cannot say. */
  private async unreachableApprovers(request: RegistrationRequest, reached: Partial<ConversationReference>[]): Promise<number | undefined> {
    const group = this.deps.approversGroup;
    if (!group || !this.deps.membership.members) return undefined;
    try {
      const reachedIds = new Set(reached.map((r) => r.user?.aadObjectId));
      return (await this.deps.membership.members(group)).filter((id) => id !== request.requester.id && !reachedIds.has(id)).length;
    } catch (error) {
      this.deps.logger.warn({ err: error, requestId: request.id }, 'could not list the approvers group');
      return undefined;
    }
  }

  /** Approvers in the channel's team who get their own view by themselves; Onboard's known chats if the roster cannot be read. */
  private async channelApprovers(request: RegistrationRequest, channel: Partial<ConversationReference>): Promise<string[]> {
    const group = this.deps.approversGroup;
    if (!group) return [];
    const isApprover = async (userId: string) => (userId !== request.requester.id || !!request.selfApprovalAllowed) && (await this.deps.membership.memberOf(userId, [group])).has(group);
    try {
      return await rosterApprovers(this.deps.adapter, this.deps.botAppId, channel, isApprover);
    } catch (error) {
      this.deps.logger.warn({ err: error, requestId: request.id }, 'could not read the team roster; listing approvers Onboard has chatted with');
      const mris: string[] = [];
      for (const { userId, reference } of await this.deps.conversations.knownUsers()) {
        const mri = (reference as Partial<ConversationReference>).user?.id;
        if (mri && (await isApprover(userId))) mris.push(mri);
      }
      return mris.slice(0, REFRESH_LIMIT);
    }
  }

}

function reminderText(request: RegistrationRequest): string {
  return `Reminder: ${request.id} (${request.title}) from ${request.requester.name} is still waiting for a decision. It expires ${request.expiresAt.slice(0, 16).replace('T', ' ')} UTC.`;
}

function cardActivity(card: Record<string, unknown>): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}
