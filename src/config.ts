import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LOCAL_TENANT_ID } from './localTenant';

/**
 * Every setting Onboard reads, parsed once at start-up. Names follow the Bot Framework and
 * Azure SDK conventions (MicrosoftAppId, AZURE_CLIENT_ID …) so App Service settings look familiar.
 */
const secretKeys = new Set(['MicrosoftAppPassword', 'AZURE_CLIENT_SECRET', 'TABLES_CONNECTION_STRING', 'SECRET_LINK_KEY', 'HEALTH_DETAILS_KEY']);

const optionalUrl = z.string().url().optional();
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const common = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().optional(),
    PUBLIC_URL: optionalUrl,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FILE: z.string().optional(),
    ONBOARD_DATA_DIR: z.string().default('.data'),

    MicrosoftAppId: z.string().uuid().optional(),
    MicrosoftAppType: z.enum(['UserAssignedMSI', 'SingleTenant', 'MultiTenant']).optional(),
    MicrosoftAppTenantId: z.string().optional(),
    MicrosoftAppPassword: z.string().optional(),
    /** Where the keys that sign channel tokens are published; Bot Framework's own when unset (tests point it at a loopback server). */
    BotOpenIdMetadata: z.string().url().refine((u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u), 'must be https (plain http only on loopback)').optional(),

    ONBOARD_CREDENTIAL: z.enum(['managedIdentity', 'certificate', 'clientSecret']).optional(),
    AZURE_TENANT_ID: z.string().optional(),
    AZURE_CLIENT_ID: z.string().uuid().optional(),
    AZURE_CLIENT_SECRET: z.string().optional(),
    AZURE_CLIENT_CERTIFICATE_PATH: z.string().optional(),
    AZURE_AUTHORITY_HOST: optionalUrl,
    GRAPH_BASE_URL: optionalUrl,
    KEY_VAULT_URL: optionalUrl,

    TABLES_ENDPOINT: optionalUrl,
    TABLES_CONNECTION_STRING: z.string().optional(),
    TABLES_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,20}$/, 'letters and digits, starting with a letter').default('onboard'),

    APPROVERS_GROUP_ID: z.string().uuid().optional(),
    HELPDESK_GROUP_ID: z.string().uuid().optional(),
    SHUTDOWN_GRACE_MS: positiveInt(10_000),
    ONBOARD_ALLOW_SELF_APPROVAL: z.enum(['true', 'false']).default('false'),
    HIGH_RISK_APPROVALS: z.coerce.number().int().min(1).max(5).default(2),
    REQUEST_EXPIRY_DAYS: positiveInt(7),
    REMINDER_AFTER_HOURS: positiveInt(24),
    SECRET_LIFETIME_DAYS: positiveInt(180),
    MAX_SECRET_LIFETIME_DAYS: positiveInt(730),
    SECRET_EXPIRY_WATCH_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    // Days between disabling an offboarded app's sign-in and removing it; restorable by an approver until then.
    OFFBOARD_GRACE_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    SECRET_LINK_HOURS: z.coerce.number().int().min(1).max(168).default(24),
    SECRET_LINK_KEY: z.string().min(32, 'at least 32 characters (e.g. openssl rand -base64 32)').optional(),
    SECRET_PAGE_REQUESTS_PER_MINUTE: positiveInt(20),
    ROTATION_GRACE_DAYS: z.coerce.number().int().min(0).max(90).default(7),
    /**
     * How long the worker's hold on a saga lasts without renewal: after a worker dies mid-saga, another (or the restarted
     * one) takes the work over once this has passed. It renews every third of it while working, so shorter costs table writes.
     */
    WORKER_LEASE_SECONDS: z.coerce.number().int().min(2).max(600).default(60),
    /** Who may read /healthz's details from off the machine: a caller sending it as `X-Health-Key`. */
    HEALTH_DETAILS_KEY: z.string().min(32, 'at least 32 characters (e.g. openssl rand -base64 32)').optional(),
    /** Sign-in before Reveal (docs/secrets.md): `off` only in the local profile. */
    SECRET_LINK_SIGNIN: z.enum(['required', 'off']).default('required'),
    /** The app registration the link page signs people in with; locally the bot's own (AZURE_CLIENT_ID). */
    SECRET_LINK_SIGNIN_CLIENT_ID: z.string().uuid().optional(),
  });

const required = (why: string) => ({ required_error: `required in the azure profile: ${why}` });

/**
 * The two profiles. Locally Onboard runs anonymously against the local cloud; in Azure it is a
 * real bot in a real tenant, so what it cannot work without is required, and each setting
 * says why when it is missing.
 */
const schema = z.discriminatedUnion('ONBOARD_PROFILE', [
  common.extend({ ONBOARD_PROFILE: z.literal('local') }),
  common.extend({
    ONBOARD_PROFILE: z.literal('azure'),
    MicrosoftAppId: z.string(required('the Azure Bot\'s app id (the managed identity\'s client id)')).uuid(),
    // Teams names the tenant by its GUID in every activity, and Onboard serves that tenant only.
    MicrosoftAppTenantId: z.string(required('your Entra tenant id')).uuid('must be your tenant\'s GUID (Teams names the tenant by it in every activity), not a domain name'),
    TABLES_ENDPOINT: z.string(required('https://<account>.table.core.windows.net')).url(),
    KEY_VAULT_URL: z.string(required('https://<vault>.vault.azure.net')).url(),
    AZURE_CLIENT_ID: z.string(required('the client id Onboard uses for Graph, Key Vault and Storage')).uuid(),
    APPROVERS_GROUP_ID: z.string(required('the object id of the approvers group')).uuid(),
    // One-time links carry a bearer token in their path: they must never travel over plain http.
    PUBLIC_URL: z.string(required('the bot\'s https address, e.g. https://onboard.azurewebsites.net')).url().refine((u) => u.startsWith('https://'), 'must be an https URL: one-time links carry a token in their path'),
  }),
]);

/**
 * Settings required by other settings. Checked on the raw values, apart from the schema, so that
 * one run reports these together with type errors (zod skips refinements once a field fails).
 */
function dependentProblems(env: Record<string, string | undefined>): z.ZodIssue[] {
  const issues: z.ZodIssue[] = [];
  const need = (key: string, why: string) => {
    if (env[key] === undefined || env[key] === '') issues.push({ code: z.ZodIssueCode.custom, path: [key], message: `required ${why}` });
  };
  if (env.MicrosoftAppType && env.MicrosoftAppType !== 'UserAssignedMSI' && env.MicrosoftAppId) {
    need('MicrosoftAppPassword', `when MicrosoftAppType is ${env.MicrosoftAppType}`);
  }
  if (env.ONBOARD_CREDENTIAL === 'clientSecret') need('AZURE_CLIENT_SECRET', 'when ONBOARD_CREDENTIAL=clientSecret');
  if (env.ONBOARD_CREDENTIAL === 'certificate') need('AZURE_CLIENT_CERTIFICATE_PATH', 'when ONBOARD_CREDENTIAL=certificate');
  if (env.ONBOARD_PROFILE === 'azure' && env.ONBOARD_ALLOW_SELF_APPROVAL === 'true') {
    issues.push({ code: z.ZodIssueCode.custom, path: ['ONBOARD_ALLOW_SELF_APPROVAL'], message: 'self-approval can only be allowed in the local profile' });
  }
  if (env.ONBOARD_PROFILE === 'azure' && env.SECRET_LINK_SIGNIN === 'off') {
    issues.push({ code: z.ZodIssueCode.custom, path: ['SECRET_LINK_SIGNIN'], message: 'off is allowed only in the local profile: in Azure only the signed-in recipient may reveal a secret' });
  }
  if (env.ONBOARD_PROFILE === 'azure' && env.SECRET_LINK_SIGNIN !== 'off') {
    need('SECRET_LINK_SIGNIN_CLIENT_ID', 'in the azure profile: the client id of Onboard\'s sign-in app registration (npm run register-signin-app)');
  }
  if (env.ONBOARD_PROFILE !== 'azure' && env.ONBOARD_CREDENTIAL === 'managedIdentity') {
    issues.push({ code: z.ZodIssueCode.custom, path: ['ONBOARD_CREDENTIAL'], message: 'managedIdentity works only in the azure profile; locally use clientSecret with the local cloud' });
  }
  if (env.ONBOARD_PROFILE === 'local') issues.push(...localExposure(env));
  return issues;
}

const isLoopbackHost = (host: string) => /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(host);
const isLoopbackUrl = (url: string) => {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return true; // not a URL at all: the schema reports that
  }
};

/**
 * The local profile runs without bot authentication: anyone who reaches the port can claim any
 * user and any serviceUrl. So it listens on loopback only, and, unless the bot is authenticated,
 * it may talk only to a Graph and Key Vault on this machine (the local cloud), never a real tenant.
 */
function localExposure(env: Record<string, string | undefined>): z.ZodIssue[] {
  const issues: z.ZodIssue[] = [];
  const problem = (key: string, message: string) => issues.push({ code: z.ZodIssueCode.custom, path: [key], message });
  if (env.HOST && !isLoopbackHost(env.HOST)) {
    problem('HOST', 'the local profile accepts unauthenticated activities, so it listens on loopback only (127.0.0.1, ::1 or localhost); use ONBOARD_PROFILE=azure to serve other machines');
  }
  if (!env.MicrosoftAppId) {
    for (const key of ['GRAPH_BASE_URL', 'KEY_VAULT_URL']) {
      if (env[key] && !isLoopbackUrl(env[key]!)) problem(key, 'without MicrosoftAppId the bot is anonymous, so in the local profile it talks only to the local cloud on loopback; set MicrosoftAppId (and its credential) or use the azure profile');
    }
  }
  return issues;
}

type Env = z.infer<typeof schema>;

export type Profile = Env['ONBOARD_PROFILE'];
export type CredentialKind = NonNullable<Env['ONBOARD_CREDENTIAL']>;

export interface Config {
  profile: Profile;
  http: { host: string; port: number; publicUrl: string; shutdownGraceMs: number };
  log: { level: Env['LOG_LEVEL']; file?: string };
  dataDir: string;
  bot: { appId?: string; appType?: Env['MicrosoftAppType']; tenantId?: string; password?: string; openIdMetadataUrl?: string };
  /** The only tenant whose Teams turns are served; in the local profile, the local cloud's. */
  teams: { tenantId: string };
  /** Who sees /healthz's details from off the machine (loopback always does). */
  health: { detailsKey?: string };
  identity: { kind: CredentialKind; tenantId?: string; clientId?: string; clientSecret?: string; certificatePath?: string; authorityHost?: string };
  graph: { baseUrl?: string };
  vault: { url?: string };
  tables: { endpoint?: string; connectionString?: string; prefix: string };
  groups: { approvers?: string; helpdesk?: string };
  policy: { allowSelfApproval: boolean; highRiskApprovals: number; requestExpiryMs: number; reminderAfterMs: number; secretLifetimeDays: number; maxSecretLifetimeDays: number; expiryWatchDays: number; offboardGraceDays: number };
  /** The one-time secret links (docs/secrets.md). */
  secretLinks: { ttlMs: number; key?: string; requestsPerMinute: number; trustForwardedFor: boolean; rotationGraceMs: number; signIn: { mode: 'required' | 'off'; clientId?: string } };
  /** The worker's saga leases (docs/deploy.md). */
  worker: { leaseMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Onboard cannot start: ${problems.length} setting${problems.length === 1 ? '' : 's'} to fix.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet them in the environment or in env/.env.<name> (ONBOARD_ENV picks the file).`);
    this.name = 'ConfigError';
  }
}

/** Teams Toolkit style `env/.env.<name>` file: KEY=VALUE lines; the real environment wins. */
export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

function describe(issue: z.ZodIssue, env: Record<string, unknown>): string {
  const key = String(issue.path[0] ?? 'setting');
  const shown = secretKeys.has(key) || env[key] === undefined ? '' : ` (got "${String(env[key]).slice(0, 60)}")`;
  if (issue.code === 'invalid_union_discriminator') return `${key}: must be one of ${issue.options.join(', ')}${shown}`;
  if (issue.code === 'invalid_enum_value') return `${key}: must be one of ${issue.options.join(', ')}${shown}`;
  if (issue.code === 'invalid_string' && issue.validation === 'url') return `${key}: must be a URL such as https://example.net${shown}`;
  if (issue.code === 'invalid_type' && issue.expected === 'number') return `${key}: must be a whole number${shown}`;
  if (issue.code === 'invalid_string' && issue.validation === 'uuid') return `${key}: must be a GUID such as 00000000-0000-0000-0000-000000000000${shown}`;
  return `${key}: ${issue.message}${shown}`;
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const fileValues = environment.ONBOARD_ENV ? readEnvFile(resolve(cwd, 'env', `.env.${environment.ONBOARD_ENV}`)) : {};
  const merged: Record<string, string | undefined> = { ONBOARD_PROFILE: 'local', ...fileValues };
  for (const [key, value] of Object.entries(environment)) if (value !== undefined && value !== '') merged[key] = value;
  const parsed = schema.safeParse(merged);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...dependentProblems(merged)];
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues.map((issue) => describe(issue, merged)));
  const env = parsed.data;
  const local = env.ONBOARD_PROFILE === 'local';
  const host = env.HOST ?? (local ? '127.0.0.1' : '0.0.0.0');
  return {
    profile: env.ONBOARD_PROFILE,
    http: { host, port: env.PORT, publicUrl: env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`, shutdownGraceMs: env.SHUTDOWN_GRACE_MS },
    log: { level: env.LOG_LEVEL, file: env.LOG_FILE },
    dataDir: resolve(cwd, env.ONBOARD_DATA_DIR),
    bot: { appId: env.MicrosoftAppId, appType: env.MicrosoftAppType, tenantId: env.MicrosoftAppTenantId, password: env.MicrosoftAppPassword, openIdMetadataUrl: env.BotOpenIdMetadata },
    teams: { tenantId: env.MicrosoftAppTenantId ?? env.AZURE_TENANT_ID ?? LOCAL_TENANT_ID },
    health: { detailsKey: env.HEALTH_DETAILS_KEY },
    identity: {
      kind: env.ONBOARD_CREDENTIAL ?? (local ? 'clientSecret' : 'managedIdentity'),
      tenantId: env.AZURE_TENANT_ID ?? env.MicrosoftAppTenantId,
      clientId: env.AZURE_CLIENT_ID,
      clientSecret: env.AZURE_CLIENT_SECRET,
      certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH,
      authorityHost: env.AZURE_AUTHORITY_HOST,
    },
    graph: { baseUrl: env.GRAPH_BASE_URL },
    vault: { url: env.KEY_VAULT_URL },
    tables: { endpoint: env.TABLES_ENDPOINT, connectionString: env.TABLES_CONNECTION_STRING ?? (local && !env.TABLES_ENDPOINT ? 'UseDevelopmentStorage=true' : undefined), prefix: env.TABLES_PREFIX },
    groups: { approvers: env.APPROVERS_GROUP_ID, helpdesk: env.HELPDESK_GROUP_ID },
    policy: {
      allowSelfApproval: env.ONBOARD_ALLOW_SELF_APPROVAL === 'true',
      highRiskApprovals: env.HIGH_RISK_APPROVALS,
      requestExpiryMs: env.REQUEST_EXPIRY_DAYS * 86_400_000,
      reminderAfterMs: env.REMINDER_AFTER_HOURS * 3_600_000,
      secretLifetimeDays: env.SECRET_LIFETIME_DAYS,
      maxSecretLifetimeDays: env.MAX_SECRET_LIFETIME_DAYS,
      expiryWatchDays: env.SECRET_EXPIRY_WATCH_DAYS,
      offboardGraceDays: env.OFFBOARD_GRACE_DAYS,
    },
    // App Service's front end sets X-Forwarded-For; locally nothing does, so a client could forge it.
    secretLinks: { ttlMs: env.SECRET_LINK_HOURS * 3_600_000, key: env.SECRET_LINK_KEY, requestsPerMinute: env.SECRET_PAGE_REQUESTS_PER_MINUTE, trustForwardedFor: !local, rotationGraceMs: env.ROTATION_GRACE_DAYS * 86_400_000,
      signIn: { mode: env.SECRET_LINK_SIGNIN, clientId: env.SECRET_LINK_SIGNIN_CLIENT_ID ?? (local ? env.AZURE_CLIENT_ID : undefined) } },
    worker: { leaseMs: env.WORKER_LEASE_SECONDS * 1_000 },
  };
}
