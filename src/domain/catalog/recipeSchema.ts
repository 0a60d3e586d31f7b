import { z } from 'zod';

/**
 * The shape of a vendor recipe (one JSON file per vendor in ./recipes). Everything a plan contains
 * comes from here or from the Graph catalogue, so adding a vendor is adding data, not code.
 */
const permissionRef = z.object({ name: z.string().regex(/^[A-Za-z][\w.-]*$/, 'a permission name such as User.Read.All'), type: z.enum(['Application', 'Delegated']) }).strict();
const words = z.array(z.string().min(1).regex(/^[a-z0-9 .-]+$/, 'lowercase words')).min(1);

const option = z.object({ id: z.string(), label: z.string(), words, permissions: z.array(permissionRef).min(1) }).strict();
const modeSpec = z.object({ permissions: z.array(permissionRef).min(1), options: z.array(option).default([]) }).strict();

const feature = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: z.string(),
    words,
    /** On unless the request says "without …". */
    default: z.boolean().default(false),
    modes: z.object({ application: modeSpec.optional(), delegated: modeSpec.optional() }).strict().refine((m) => m.application || m.delegated, 'a feature needs at least one mode'),
  })
  .strict();

const input = z
  .object({
    name: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
    label: z.string(),
    kind: z.enum(['hostname', 'url', 'text']),
    required: z.boolean(),
    example: z.string(),
    /** A host name input must end with this domain (e.g. the vendor's SaaS domain); checked in planInputs. */
    domainSuffix: z.string().regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z]{2,63}$/, 'a domain such as vendor.example, lowercase, without a leading dot or wildcard').optional(),
  })
  .strict()
  .refine((i) => !i.domainSuffix || i.kind === 'hostname', { message: 'domainSuffix applies to hostname inputs only', path: ['domainSuffix'] });

const scope = z
  .object({
    value: z.string().regex(/^[A-Za-z][\w.]*$/),
    type: z.enum(['User', 'Admin']),
    adminConsentDisplayName: z.string(),
    adminConsentDescription: z.string(),
    userConsentDisplayName: z.string(),
    userConsentDescription: z.string(),
    /** Added to the app's own required permissions and consented for everyone, so users are never prompted. */
    selfGrant: z.boolean(),
  })
  .strict();

const condition = z.object({ feature: z.string().optional(), mode: z.enum(['application', 'delegated']).optional() }).strict();

export const recipeSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: z.string(),
    aliases: words,
    /**
     * Application (client) IDs of the vendor's own multi-tenant app. The recipe is the drift reference of an app
     * Onboard did not create only when its appId is listed here: a display name or a tag is anyone's to write.
     */
    knownAppIds: z.array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a lowercase application (client) ID')).default([]),
    source: z.string(),
    appName: z.string(),
    inputs: z.array(input),
    app: z
      .object({
        signInAudience: z.literal('AzureADMyOrg'),
        webRedirectUris: z.array(z.string()),
        publicClientRedirectUris: z.array(z.string()),
        implicitGrant: z.object({ accessTokens: z.boolean(), idTokens: z.boolean() }).strict(),
        isFallbackPublicClient: z.boolean(),
        requestedAccessTokenVersion: z.union([z.literal(1), z.literal(2), z.null()]),
        exposedScopes: z.array(scope),
      })
      .strict(),
    basePermissions: z.array(permissionRef),
    features: z.array(feature),
    /** A feature must be named unless the recipe can stand on its base permissions alone. */
    featureRequired: z.boolean(),
    secret: z.enum(['always', 'when-application', 'never']),
    handover: z.array(z.string()).min(1),
    followUps: z.array(z.object({ when: condition.default({}), text: z.string() }).strict()),
    /** `instead`: requests that work, offered with the refusal. */
    unsupported: z.array(z.object({ id: z.string(), words, reason: z.string(), instead: z.array(z.string()).default([]) }).strict()),
  })
  .strict();

export type Recipe = z.infer<typeof recipeSchema>;
export type RecipeFeature = Recipe['features'][number];
export type RecipeInput = Recipe['inputs'][number];
export type Mode = 'application' | 'delegated';
