import { verbs } from '../verbs';

/** Rotation's verb is declared by the rotation handler in verbs.ts; the helpdesk cards only show its button. */
export const rotateVerb: string = (verbs as Record<string, string>).rotate ?? 'secret.rotate';
export const fixDriftVerb: string = (verbs as Record<string, string>).fixDrift ?? 'drift.fix';
