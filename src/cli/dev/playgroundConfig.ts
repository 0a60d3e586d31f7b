import { SEED, SEED_USERS } from '../../localcloud/seedIds';

/**
 * The Agents Playground's config file (`M365_AGENTS_PLAYGROUND_CONFIG_PATH`). Its own default names
 * tenant 00000000-0000-0000-0000-0000000000001, and Onboard serves only its own tenant: locally the
 * local cloud's. So the Playground speaks for the seed tenant, with the seed tenant's Playground users
 * (the Playground's default people, same ids), `currentUserId` being the one typing.
 */
export function playgroundConfig(currentUserId: string = SEED_USERS[0].id): string {
  const people = SEED_USERS.filter((u) => u.playground);
  const me = people.find((u) => u.id === currentUserId);
  if (!me) throw new Error(`${currentUserId} is not one of the Playground's users`);
  // The Playground's schema wants at least five other users; JSON strings are valid YAML scalars.
  const user = (u: (typeof people)[number], indent: string) =>
    [`id: ${JSON.stringify(`user-id-${people.indexOf(u)}`)}`, `name: ${JSON.stringify(u.displayName)}`, `userPrincipleName: ${JSON.stringify(u.userPrincipalName)}`, `aadObjectId: ${JSON.stringify(u.id)}`, `givenName: ${JSON.stringify(u.givenName)}`, `surname: ${JSON.stringify(u.surname)}`, `email: ${JSON.stringify(u.userPrincipalName)}`]
      .map((line, i) => (i === 0 ? line : indent + line))
      .join('\n');
  return [
    'version: "0.1.1"',
    `tenantId: ${JSON.stringify(SEED.tenantId)}`,
    'bot:',
    '  id: "00000000-0000-0000-0000-00000000000011"',
    '  name: "Onboard"',
    'currentUser:',
    `  ${user(me, '  ')}`,
    'users:',
    ...people.filter((u) => u !== me).map((u) => `  - ${user(u, '    ')}`),
    'personalChat:',
    `  id: ${JSON.stringify(`personal-${me.givenName.toLowerCase()}`)}`,
    'groupChat:',
    `  id: ${JSON.stringify(`group-${me.givenName.toLowerCase()}`)}`,
    '  name: "Group Chat"',
    'team:',
    '  id: "team-id"',
    '  name: "My Team"',
    '  aadGroupId: "00000000-0000-0000-0000-000000000031"',
    '  channels:',
    '    - id: "channel-announcements-id"',
    '      name: "Announcements"',
    '',
  ].join('\n');
}
