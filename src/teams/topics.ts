import type { HelpTopic } from './commands/help';

/** One line per command for the help card. Kept in step with the command language (src/domain/commands.ts). */
export const helpTopics: readonly HelpTopic[] = [
  { word: 'onboard', summary: 'Plan a vendor integration and send it for approval.', example: 'onboard cirrus connect mail delegated for contoso.cirrus.example' },
  { word: 'custom', summary: 'Plan an app with the Graph permissions you name.', example: 'onboard custom "HR Portal" with User.Read.All application' },
  { word: 'check', summary: 'What an app may do, and its drift from the vendor recipe.', example: 'check Miradore' },
  { word: 'which', summary: 'Which apps hold a permission.', example: 'which apps have Mail.Send application' },
  { word: 'vendors', summary: 'The vendors Onboard knows.', example: 'vendors' },
  { word: 'status', summary: 'Your requests, or one request.', example: 'status' },
  { word: 'rotate', summary: 'Issue a new client secret through approval.', example: 'rotate secret for Miradore' },
  { word: 'audit', summary: 'The audit trail of a request.', example: 'audit REQ-1234' },
  { word: 'help', summary: 'This list.', example: 'help' },
];
