import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../appPackage/schema/teams-manifest-1.29.schema.json';

/**
 * Validates a manifest against the project's copy of Microsoft's v1.29 schema. The file declares
 * draft-04 but uses `const` (draft-06); none of its keywords differ between draft-04 and ajv's
 * default draft-07, so the `$schema` line is dropped rather than fetching a meta-schema.
 */
export function manifestValidator(): (manifest: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const { $schema: _schema, ...body } = schema as Record<string, unknown>;
  const validate = ajv.compile(body);
  return (manifest) => (validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}
