import { verbs } from '../verbs';

/** The helpdesk cards' buttons: Rotate is handled by the rotation command's action, Fix drift by actions/fixDrift.ts. */
export const rotateVerb: string = verbs.rotate;
export const fixDriftVerb: string = verbs.fixDrift;
