import type { RotationResult } from '../../app/secrets/requestRotation';
import type { ActionHandler } from './actionRouter';

/** What the person who asked for a rotation is told, from the command and from the Rotate button alike. */
export function rotationReply(result: RotationResult): string {
  switch (result.kind) {
    case 'refused':
      return result.message;
    case 'already-waiting':
      return `A rotation for this app is already under way: ${result.request.id} (${result.request.state === 'PendingApproval' ? 'waiting for approval' : 'being provisioned'}). The new one-time link goes to ${result.request.rotation?.recipient?.name ?? 'its recipient'}.`;
    case 'submitted': {
      const where = result.where === 'channel' ? 'Posting it to the approvers channel.' : 'Sending it to the approvers; type **status ' + result.request.id + '** to see who has it.';
      const recipient = result.request.rotation?.recipient;
      const toYou = !recipient || recipient.id === result.request.requester.id;
      const link = toYou ? 'you get a new one-time link here' : `${recipient.name}, who requested the app, gets the new one-time link in their chat with Onboard`;
      return `Rotation requested as ${result.request.id}. ${where} Once approved, ${link}; the old secret keeps working until the switch is confirmed, or for the grace period.`;
    }
  }
}

/** `secret.rotate` with `{ appId }` (expiry notices, "secret not delivered", the expiry watch): same as the command. */
export const rotateAction: ActionHandler = async ({ actor, data, correlationId }, deps) => {
  const appId = typeof data.appId === 'string' ? data.appId.trim() : '';
  if (!/^[0-9a-f-]{36}$/i.test(appId)) return 'That Rotate button does not name an app. Type **rotate secret for [app]** instead.';
  if (!deps.rotate) return 'Rotation needs Microsoft Graph and Key Vault, and this Onboard has neither configured.';
  return rotationReply(await deps.rotate.execute({ target: appId, actor, correlationId }));
};
