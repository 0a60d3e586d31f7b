import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json';
import schema from '../../cards/schema/adaptive-card-1.5.schema.json';

/** Validates cards against the project's copy of the Adaptive Cards 1.5 schema (what Teams renders). */
export function cardValidator(): (card: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addMetaSchema(draft6);
  // The file declares its id draft-04 style ("id"); ajv wants none or "$id".
  const { $schema: _schema, id: _id, ...body } = schema as Record<string, unknown>;
  const validate = ajv.compile(body);
  return (card) => {
    // Teams' own extension of the root, outside the published schema: only what Teams documents is let through
    // (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format#full-width-adaptive-card).
    const { msteams, ...rest } = (card ?? {}) as Record<string, unknown>;
    const teamsProblems = msteams === undefined || JSON.stringify(msteams) === JSON.stringify({ width: 'Full' }) ? [] : [`/msteams must be { "width": "Full" }, got ${JSON.stringify(msteams)}`];
    return [...teamsProblems, ...(validate(rest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`))];
  };
}
