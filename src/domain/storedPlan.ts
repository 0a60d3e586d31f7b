import { z } from 'zod';
import type { DriftFixPlan } from './driftFix';
import type { OffboardPlan } from './offboarding';
import type { RegistrationPlan } from './plan';
import type { RegistrationRequest } from './request';

/**
 * A request's plan as read back from the store, parsed once, with a schema, at the store boundary
 * (adapters/tables/tableRequestStore.ts), into what kind of work it is. The schemas check the shape the
 * code relies on and keep every other key (passthrough): the plan hash is computed over the whole stored
 * plan, and keys no plan may have are refused by the pre-write guard (planGuard.ts), never silently dropped.
 */

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const permission = z.object({
  resourceAppId: z.string().min(1),
  resource: z.string().optional(),
  name: z.string().min(1),
  type: z.enum(['Application', 'Delegated']),
  id: z.string().min(1),
}).passthrough();

const registrationSchema = z.object({
  kind: z.undefined().optional(),
  displayName: z.string().optional(),
  application: z.record(z.unknown()),
  afterCreate: z.object({ identifierUris: z.array(z.string()).optional(), requiredResourceAccess: z.array(z.unknown()).optional() }).passthrough().nullable().optional(),
  permissions: z.array(permission).default([]),
  secret: z.object({ issue: z.boolean(), lifetimeDays: z.number().int().positive() }).passthrough(),
}).passthrough();

const driftFixSchema = z.object({
  kind: z.literal('drift-fix'),
  displayName: z.string(),
  target: z.object({ appId: guid, objectId: guid, servicePrincipalId: guid }).passthrough(),
  source: z.string(),
  permissions: z.array(permission),
  remove: z.array(permission),
}).passthrough();

const offboardSchema = z.object({
  kind: z.literal('offboard'),
  displayName: z.string(),
  target: z.object({ appId: guid, objectId: guid, servicePrincipalId: guid }).passthrough(),
  ofRequestId: z.string().min(1),
  graceDays: z.number().int().min(0).max(365),
  holds: z.object({ permissions: z.array(permission), passwords: z.number().int().min(0), certificates: z.number().int().min(0) }).passthrough(),
}).passthrough();

/** What the stored plan is, by kind; `body` is the plan exactly as stored (the hash covers it). */
export type StoredPlan =
  | { kind: 'registration'; body: RegistrationPlan }
  | { kind: 'rotation'; body: RegistrationPlan }
  | { kind: 'drift-fix'; body: DriftFixPlan }
  | { kind: 'offboard'; body: OffboardPlan }
  | { kind: 'unreadable'; body: unknown; problem: string };

export type WorkKind = StoredPlan['kind'];

const describe = (error: z.ZodError) => error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`).join('; ');

/** Parses a stored request's plan; a plan that fits no schema is `unreadable`, with the reason in words. */
export function parseStoredPlan(request: Pick<RegistrationRequest, 'plan' | 'rotation'>): StoredPlan {
  const raw = request.plan;
  if ((raw as { kind?: unknown } | null)?.kind === 'drift-fix') {
    const parsed = driftFixSchema.safeParse(raw);
    return parsed.success ? { kind: 'drift-fix', body: raw as DriftFixPlan } : { kind: 'unreadable', body: raw, problem: `the drift fix plan is malformed (${describe(parsed.error)})` };
  }
  if ((raw as { kind?: unknown } | null)?.kind === 'offboard') {
    const parsed = offboardSchema.safeParse(raw);
    return parsed.success ? { kind: 'offboard', body: raw as OffboardPlan } : { kind: 'unreadable', body: raw, problem: `the offboard plan is malformed (${describe(parsed.error)})` };
  }
  const parsed = registrationSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'unreadable', body: raw, problem: `the stored plan is malformed (${describe(parsed.error)})` };
  return { kind: request.rotation ? 'rotation' : 'registration', body: raw as RegistrationPlan };
}
