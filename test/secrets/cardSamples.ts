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
  ];
}
