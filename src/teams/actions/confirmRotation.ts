import type { ActionHandler } from './actionRouter';

/** `secret.rotation.confirm`: the requester switched the vendor to the new secret, so the old one goes now. */
export const confirmRotationAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  if (!deps.finishRotations) return 'Rotation needs Microsoft Graph, and this Onboard has none configured.';
  const result = await deps.finishRotations.confirm({ requestId: data.requestId ?? '', actor, correlationId });
  if (result.kind === 'refused') return result.message;
  if (result.kind === 'already-removed') return 'The old secret was already removed.';
  if (result.kind === 'confirmed') return `Thanks: the old secret of ${result.request.title.replace(/: new client secret$/, '')} is being removed from the app. Onboard tells you here when only the new one works.`;
  return `Done: the old secret of ${result.request.title.replace(/: new client secret$/, '')} is removed from the app. Only the new one works now.`;
};
