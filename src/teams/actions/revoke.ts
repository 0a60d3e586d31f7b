import { rotationReply } from './rotate';
import type { ActionHandler } from './actionRouter';

/** `secret.revoke` with `{ appId }`: the confirmation card's "Revoke now". The use case checks who asks again. */
export const revokeAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const appId = typeof data.appId === 'string' ? data.appId.trim() : '';
  if (!/^[0-9a-f-]{36}$/i.test(appId)) return 'That button does not name an app. Type **revoke secret for [app]** instead.';
  if (!deps.revoke) return 'Revoking needs Microsoft Graph and Key Vault, and this Onboard has neither configured.';
  const result = await deps.revoke.execute({ appId, actor, correlationId });
  if (result.kind === 'refused') return result.message;
  const removed = result.removed.length ? `Revoked: ${result.removed.length} client secret${result.removed.length === 1 ? '' : 's'} of ${result.appName} removed; ${result.vendor ?? 'the vendor'} can no longer sign in with ${result.removed.length === 1 ? 'it' : 'them'}.` : `${result.appName} had no live client secret from Onboard; nothing was removed.`;
  const rotation = result.rotation;
  // Not rotationReply's "the old secret keeps working": after a revoke there is no old secret left to keep.
  const next = rotation.kind === 'submitted' ? `New secret requested as ${rotation.request.id}, through the usual approval; once approved, you get a new one-time link here.` : rotationReply(rotation);
  return `${removed} ${next}`;
};
