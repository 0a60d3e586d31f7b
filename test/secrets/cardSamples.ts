import { renderCard } from '../../src/teams/cards';
import { secretNotice } from '../../src/teams/secretNotifier';
import { verbs } from '../../src/teams/verbs';

/** The handover's cards with representative data, for the schema check and screenshots (test/support/cardSamples.ts). */
export function secretLinkSamples(): { name: string; card: Record<string, unknown> }[] {
  const appId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
  return [
    {
      name: 'secretLink',
      card: renderCard('secretLink', {
        title: 'Your client secret for Miradore', recipientName: 'Riley Requester', expires: '2026-11-23 09:00 UTC', appName: 'Miradore', vendor: 'Miradore',
        appId, requestId: 'REQ-7K2M9Q', url: 'https://onboard.contoso.example/secrets/3q2-7wJ5vTQm0rXcV2n8yPp1sD4kLb6hGfEaZuWx9oI', rotation: false, graceDays: 7, verbs,
      }),
    },
    {
      name: 'secretLink-rotation',
      card: renderCard('secretLink', {
        title: 'Your new client secret for Miradore', recipientName: 'Riley Requester', expires: '2026-11-23 09:00 UTC', appName: 'Miradore', vendor: '',
        appId, requestId: 'REQ-8M3N4P', url: 'https://onboard.contoso.example/secrets/3q2-7wJ5vTQm0rXcV2n8yPp1sD4kLb6hGfEaZuWx9oI', rotation: true, graceDays: 7, verbs,
      }),
    },
    { name: 'secretNotice-expired', card: secretNotice({ title: 'Your secret link for Miradore expired', text: 'Nobody revealed it in time.', color: 'Warning', facts: [{ title: 'Request', value: 'REQ-7K2M9Q' }], rotateAppId: appId }) },
    { name: 'secretNotice-rotated', card: secretNotice({ title: 'Old secret still live', text: 'It is removed in 7 days.', confirmRequestId: 'REQ-7K2M9Q' }) },
    { name: 'secretNotice-plain', card: secretNotice({ title: 'Rotation requested', text: 'Waiting for approval.' }) },
    {
      name: 'secretNotice-revoke',
      card: secretNotice({
        title: 'Revoke the client secret of Miradore now?', color: 'Attention', revokeAppId: appId,
        text: 'Use this if the secret may be exposed. Revoking removes every client secret Onboard handed over for this app at once, with no grace period: Miradore\'s connection stops working until you enter a new secret there, which can mean an outage for everyone who relies on it. Onboard then asks for a new secret through the usual approval, and sends you a new one-time link.',
        facts: [{ title: 'Request', value: 'REQ-7K2M9Q' }, { title: 'Application (client) ID', value: appId }],
      }),
    },
    {
      name: 'secretNotice-opened-by-other',
      card: secretNotice({
        title: 'Someone else opened your secret link for Miradore', color: 'Attention', facts: [{ title: 'Request', value: 'REQ-7K2M9Q' }],
        text: 'Megan Bowen (meganb@example.com) signed in on your one-time link at 2026-11-23 09:00 UTC. Onboard refused: only you can reveal it, and it has not been used. If you did not forward the link, tell IT; if you think the secret is exposed, type "revoke secret for Miradore".',
      }),
    },
  ];
}
