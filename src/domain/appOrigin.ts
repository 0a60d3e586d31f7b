import type { RegistrationRequest } from './request';

/**
 * Which application a request's own saga created, from its provisioning record: the only authority for "Onboard made
 * this app". A rotation or a drift fix works on an existing app and creates none.
 */
export function createdApplicationOf(request: Pick<RegistrationRequest, 'provisioning' | 'rotation' | 'plan'>): { appId: string; id: string } | undefined {
  const made = request.provisioning?.steps.application;
  if (!made || request.rotation || (request.plan as { kind?: unknown } | null)?.kind === 'drift-fix') return undefined;
  return { appId: made.appId.toLowerCase(), id: made.id.toLowerCase() };
}

/** The request's saga created exactly this application: appId and object id both as recorded. */
export function createdThisApp(request: Pick<RegistrationRequest, 'provisioning' | 'rotation' | 'plan'>, app: { appId: string; objectId: string }): boolean {
  const made = createdApplicationOf(request);
  return !!made && made.appId === app.appId.toLowerCase() && made.id === app.objectId.toLowerCase();
}
