import { rotationDoneMessage } from '../../domain/rotation';
import type { ProvisioningProgress } from '../provisioningPorts';
import type { RequestNotifier } from '../workflowPorts';

/** Provisioning progress as people see it: the request's cards update at each step; the requester hears the end. */
export function notifyingProgress(notifier: RequestNotifier): ProvisioningProgress {
  return {
    stepDone: (request) => notifier.changed(request, ''),
    finished: (request) =>
      request.rotation ? notifier.changed(request, rotationDoneMessage(request)) : notifier.changed(request, `${request.id} (${request.title}) is registered and verified. Application (client) ID: ${request.provisioning?.steps.application?.appId ?? 'see the card'}.`),
    failed: (request) => notifier.changed(request, `${request.id} (${request.title}) could not be provisioned: ${request.failure?.message ?? 'unknown error'}`),
  };
}
