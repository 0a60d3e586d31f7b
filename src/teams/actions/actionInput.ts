import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Person } from '../../domain/request';

/** The most a card action may carry. Anything larger is refused before it is parsed further. */
export const MAX_ACTION_BYTES = 8 * 1024;

/** Card data is untrusted: only these fields are read, each bounded. Everything else comes from the store. */
export const actionData = z
  .object({
    requestId: z.string().regex(/^REQ-[A-Z0-9]{4,16}$/, 'not a request id').optional(),
    planHash: z.string().regex(/^[a-f0-9]{64}$/, 'not a plan hash').optional(),
    reason: z.string().max(500).optional(),
    // Drafts are keyed by this id in Table Storage, where '/', '#', '?' and '\\' are not allowed in keys.
    draftId: z.string().uuid('not a draft id').optional(),
  })
  .passthrough();

export type ActionData = z.infer<typeof actionData>;

export type ParsedAction = { ok: true; actor: Person; data: ActionData; inputs: Record<string, string> } | { ok: false; problem: string };

/** Who clicked (their Entra object id, as Teams stamps it) and what the card sent, validated. */
export function parseAction(context: TurnContext, raw: unknown): ParsedAction {
  const from = context.activity.from;
  if (!from?.aadObjectId) return { ok: false, problem: 'I cannot tell who you are from this Teams client, so I cannot act on that. Please use Teams signed in with your work account.' };
  let size = 0;
  try {
    size = Buffer.byteLength(JSON.stringify(raw ?? {}));
  } catch {
    return { ok: false, problem: 'That card action could not be read.' };
  }
  if (size > MAX_ACTION_BYTES) return { ok: false, problem: 'That card action carried too much data, so I ignored it.' };
  const parsed = actionData.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, problem: `That card action is not valid (${parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ')}).` };
  const inputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data)) {
    if (typeof value === 'string' && /^input\.[A-Za-z0-9_]{1,40}$/.test(key)) inputs[key.slice(6)] = value.slice(0, 300);
  }
  return { ok: true, actor: { id: from.aadObjectId, name: from.name ?? 'Someone' }, data: parsed.data, inputs };
}
