import { LOCAL_TENANT_ID } from '../localTenant';

/**
 * Fixed ids of the seed tenant, so documentation, tests and a developer's bookmarks stay valid across resets.
 * The Agents Playground users keep the object ids the Playground puts in its activities (`from.aadObjectId`),
 * even though those have 13 digits in their last group and so are not well-formed GUIDs.
 */
export const SEED = {
  tenantId: LOCAL_TENANT_ID,
  tenantName: 'Contoso (local)',
  initialDomain: 'contosolocal.onmicrosoft.com',
  verifiedDomains: ['contosolocal.onmicrosoft.com', 'contoso.example'],
  graphServicePrincipalId: '0c7e5d2b-91a4-4f3e-8b6d-3a2f1e0d9c48',
  keyVaultServicePrincipalId: '1d8f6e3c-a2b5-4a4f-9c7e-4b3a2f1e0d59',
  bot: { appId: '7d3e9b41-2c6a-4f85-b1d7-9e0a3c5f2b68', appObjectId: '8e4fac52-3d7b-4a96-82e8-af1b4d6a3c79', servicePrincipalId: '9f5abd63-4e8c-4ba7-93f9-b02c5e7b4d8a' },
  /** The provisioning worker: the only identity here that may write to Graph (issue #16). */
  worker: { appId: 'a06b5c74-5f9d-4cb8-a40a-c13d6f8c5e9b', appObjectId: 'b17c6d85-60ae-4dc9-b51b-d24e7a9d6fac', servicePrincipalId: 'c28d7e96-71bf-4eda-862c-e35f8bae7abd' },
  groups: {
    approvers: '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05',
    helpdesk: '3c7d2e8f-6b4a-4d9c-8e3f-8a2b5c9d4f16',
    helpdeskTier2: '4d8e3f9a-7c5b-4eac-9f4a-9b3c6dae5a27',
  },
} as const;

export interface SeedUser {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  userPrincipalName: string;
  jobTitle: string;
  onboardRoles: ('requester' | 'approver' | 'helpdesk')[];
  /** True for the Agents Playground's mock users. */
  playground: boolean;
}

const u = (id: string, displayName: string, upn: string, jobTitle: string, roles: SeedUser['onboardRoles'], playground: boolean): SeedUser => {
  const [givenName, ...rest] = displayName.split(' ');
  return { id, displayName, givenName, surname: rest.join(' '), userPrincipalName: upn, jobTitle, onboardRoles: roles, playground };
};

export const SEED_USERS: SeedUser[] = [
  u('00000000-0000-0000-0000-0000000000020', 'Alex Wilber', 'alexw@example.com', 'Marketing Assistant', ['requester'], true),
  u('00000000-0000-0000-0000-0000000000021', 'Megan Bowen', 'meganb@example.com', 'IT Manager', ['approver'], true),
  u('00000000-0000-0000-0000-0000000000022', 'Adele Vance', 'adelev@example.com', 'Security Lead', ['approver'], true),
  u('00000000-0000-0000-0000-0000000000023', 'Isaiah Langer', 'isaiah@example.com', 'Service Desk Analyst', ['helpdesk'], true),
  u('00000000-0000-0000-0000-0000000000024', 'Patti Fernandez', 'pattif@example.com', 'Finance Manager', ['requester'], true),
  u('00000000-0000-0000-0000-0000000000025', 'Lynne Robbins', 'lynner@example.com', 'Product Manager', ['requester'], true),
  u('5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c41', 'Diego Siciliani', 'diegos@contoso.example', 'HR Specialist', ['requester'], false),
  u('6b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d52', 'Nestor Wilke', 'nestorw@contoso.example', 'Director of Operations', ['approver'], false),
  u('7c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e63', 'Lee Gu', 'leeg@contoso.example', 'Identity Architect', ['approver'], false),
  u('8d4e5f6a-7b8c-4d9e-9f0a-2b3c4d5e6f74', 'Grady Archie', 'gradya@contoso.example', 'Helpdesk Engineer', ['helpdesk'], false),
];

/**
 * The Graph application permissions the bot holds, and only these: it talks to people, so it only reads
 * (docs/localcloud.md says why each one). The writes belong to the worker, which has no inbound endpoint.
 */
export const BOT_GRAPH_ROLES = [
  'Application.Read.All',
  'GroupMember.Read.All',
  'Organization.Read.All',
  // The helpdesk counts delegated grants (per-user consent); before the split, DelegatedPermissionGrant.ReadWrite.All covered that read.
  'DelegatedPermissionGrant.Read.All',
  // The periodic review asks whether a requester has left: accountEnabled, which Get user returns to apps with User.Read.All.
  'User.Read.All',
] as const;

/** The worker's: the three writes, plus the reads its own re-checks and verification need. */
export const WORKER_GRAPH_ROLES = [
  'Application.ReadWrite.OwnedBy',
  'AppRoleAssignment.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'Application.Read.All',
  'GroupMember.Read.All',
  'Organization.Read.All',
] as const;

/**
 * The bot's Key Vault role: a custom role with getSecret, delete and purge only, for the one-time reveal.
 * Setting secrets is the worker's (Key Vault Secrets Officer).
 */
export const HANDOVER_VAULT_ROLE = 'Onboard Secret Handover';

/** The vault secret approvals are signed with: Onboard's APPROVAL_KEY_NAME (src/adapters/keyvault/vaultApprovalSigner.ts), made by the deploy in Azure. */
export const APPROVAL_KEY_SECRET = 'onboard-approval-key';
