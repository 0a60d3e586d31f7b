import { verbs } from '../verbs';

/**
 * The helpdesk cards' buttons: Rotate is handled by the rotation command's action, Fix drift by actions/fixDrift.ts,
 * Offboard… by actions/offboard.ts (the same as typing offboard with the app's id: the request card replaces this one).
 */
export const rotateVerb: string = verbs.rotate;
export const fixDriftVerb: string = verbs.fixDrift;
export const offboardVerb: string = verbs.offboard;
