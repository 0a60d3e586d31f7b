import type { RotationNotifier } from '../app/secrets/finishRotations';
import { escapeMarkdown as md } from './views/markdown';
import type { ExpiredLinkNotice, LinkIssuedNotice, NotDeliveredNotice, SecretLinkNotifier } from '../app/secrets/secretLinkPorts';
import type { LinkOpenedByOtherNotice, LinkSignInNotifier } from '../app/secrets/linkSignIn';
import { renderCard } from './cards';
import type { TeamsRequestNotifier } from './notifier';
import { verbs } from './verbs';

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Said when a link cannot reach its recipient; the link sweeper issues a fresh one once they have a chat with Onboard. */
export class NoPersonalChatError extends Error {
  constructor() {
    super('the recipient has no personal chat with Onboard yet');
    this.name = 'NoPersonalChatError';
  }
}

export interface SecretNoticeView {
  title: string;
  text: string;
  color: 'Default' | 'Good' | 'Attention' | 'Warning';
  facts: { title: string; value: string }[];
  rotateAppId: string;
  confirmRequestId: string;
  /** "Revoke now" on the revoke confirmation card. */
  revokeAppId: string;
  verbs: typeof verbs;
}

export function secretNotice(view: Partial<SecretNoticeView> & Pick<SecretNoticeView, 'title' | 'text'>): Record<string, unknown> {
  return renderCard('secretNotice', { color: 'Default', facts: [], rotateAppId: '', confirmRequestId: '', revokeAppId: '', verbs, ...view });
}

/** The handover's messages in Teams: the link to its recipient only; failures with Rotate. */
export class TeamsSecretLinkNotifier implements SecretLinkNotifier, RotationNotifier, LinkSignInNotifier {
  constructor(private readonly teams: Pick<TeamsRequestNotifier, 'toPerson' | 'toApprovers' | 'canReach' | 'toRequestConversation'>, private readonly rotationGraceDays = 7) {}

  canReach(personId: string): Promise<boolean> {
    return this.teams.canReach(personId);
  }

  async unreachable(notice: { requestId: string; requester: { name: string }; appName: string }): Promise<void> {
    await this.teams.toRequestConversation(notice.requestId, `${notice.requester.name}, the client secret for ${notice.appName} (${notice.requestId}) is ready, but Onboard sends one-time links only in a personal chat. Open a chat with Onboard and say hello: the link follows within minutes.`);
  }

  async linkIssued(notice: LinkIssuedNotice): Promise<void> {
    const card = renderCard('secretLink', {
      title: `Your ${notice.rotation ? 'new ' : ''}client secret for ${md(notice.appName)}`,
      recipientName: md(notice.recipient.name), expires: utc(notice.expiresAt), appName: md(notice.appName), vendor: md(notice.vendor),
      appId: notice.appId, requestId: notice.requestId, url: notice.url, rotation: notice.rotation, graceDays: this.rotationGraceDays, verbs,
    });
    if (!(await this.teams.toPerson(notice.recipient.id, card))) throw new NoPersonalChatError();
  }

  async linkExpired(notice: ExpiredLinkNotice): Promise<void> {
    await this.teams.toPerson(notice.recipient.id, secretNotice({
      title: `Your secret link for ${md(notice.appName)} expired`,
      text: `Nobody revealed it before ${utc(notice.expiredAt)}, so Onboard deleted the secret from the vault and removed it from the app. Press Rotate to ask for a new one.`,
      color: 'Warning', facts: [{ title: 'Request', value: notice.requestId }, { title: 'Application (client) ID', value: notice.appId }], rotateAppId: notice.appId,
    }));
  }

  /** Someone else signed in on the recipient's link: they were refused, and the recipient should know it travelled. */
  async openedByOther(notice: LinkOpenedByOtherNotice): Promise<void> {
    await this.teams.toPerson(notice.recipient.id, secretNotice({
      title: `Someone else opened your secret link for ${notice.appName}`,
      text: `${notice.by.name} (${notice.by.username}) signed in on your one-time link at ${utc(notice.at)}. Onboard refused: only you can reveal it, and it has not been used. If you did not forward the link, tell IT; if you think the secret is exposed, type "revoke secret for ${notice.appName}".`,
      color: 'Attention', facts: [{ title: 'Request', value: notice.requestId }],
    }));
  }

  async oldSecretRemoved(notice: { requestId: string; requester: { id: string; name: string }; appName: string; appId: string; keyIds: string[]; confirmed: boolean }): Promise<void> {
    await this.teams.toPerson(notice.requester.id, secretNotice({
      title: `Old secret removed: ${md(notice.appName)}`,
      text: notice.confirmed ? 'As you confirmed, the old client secret is removed from the app. Only the new one works now.' : 'The grace period is over: the old client secret is removed from the app. Only the new one works now.',
      color: 'Good', facts: [{ title: 'Request', value: notice.requestId }, { title: 'Application (client) ID', value: notice.appId }],
    }));
  }

  async notDelivered(notice: NotDeliveredNotice): Promise<void> {
    const card = secretNotice({
      title: `Secret not delivered: ${md(notice.appName)}`,
      text: `The app is registered, but Key Vault did not take its client secret (${md(notice.reason)}). Onboard removed that secret from the app, so no secret is live that nobody holds. Press Rotate to issue a new one once the vault is back.`,
      color: 'Attention', facts: [{ title: 'Request', value: notice.requestId }, { title: 'Application (client) ID', value: notice.appId }], rotateAppId: notice.appId,
    });
    await this.teams.toPerson(notice.requester.id, card);
    await this.teams.toApprovers(card);
  }
}
