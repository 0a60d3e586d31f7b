import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import graphSpec from './graphOpenapiSubset.json';
import vaultSpec from './keyvaultSecretsOpenapi.json';
import { convertDefinitions, convertSchema, type ConversionOptions, type Schema } from './schemaConversion';

/**
 * Contract checks against the project's copies of Microsoft's published descriptions: the Graph v1.0 OpenAPI
 * subset and the Key Vault secrets Swagger (see /work/shared/reference/README.md for provenance).
 */
export type Service = 'graph' | 'vault';
export type Direction = 'request' | 'response';

export interface Operation {
  service: Service;
  /** The path as the description names it, e.g. `/applications/{application-id}`. */
  path: string;
  method: string;
}

export interface ContractViolation {
  service: Service;
  direction: Direction;
  method: string;
  /** The concrete request path. */
  url: string;
  operation: string;
  status?: number;
  errors: string[];
}

type Spec = { paths: Record<string, Record<string, Schema>> };

const GRAPH: ConversionOptions = {
  id: 'graph', refPrefix: '#/components/schemas/', closeObjects: true, nullableRefs: true,
  open: new Set(['microsoft.graph.entity', 'microsoft.graph.directoryObject', 'microsoft.graph.ODataErrors.ODataError', 'microsoft.graph.ODataErrors.MainError', 'microsoft.graph.ODataErrors.ErrorDetails', 'microsoft.graph.ODataErrors.InnerError']),
};
// Key Vault ignores unknown request properties, so requests are checked open; our responses are checked closed.
const VAULT_REQUEST: ConversionOptions = { id: 'vault-request', refPrefix: '#/definitions/', closeObjects: false, nullableRefs: false, open: new Set() };
const VAULT_RESPONSE: ConversionOptions = { id: 'vault-response', refPrefix: '#/definitions/', closeObjects: true, nullableRefs: false, open: new Set() };

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction | null>();

function instance(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateFormats: true });
  addFormats(ajv);
  // Graph sends binary as base64 (its `base64url` format accepts both alphabets in practice).
  ajv.addFormat('base64url', /^[A-Za-z0-9+/_-]*={0,2}$/);
  ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  const graphSchemas = (graphSpec as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas;
  ajv.addSchema({ $id: GRAPH.id, definitions: convertDefinitions(graphSchemas, GRAPH) });
  const vaultDefinitions = (vaultSpec as unknown as { definitions: Record<string, Schema> }).definitions;
  ajv.addSchema({ $id: VAULT_REQUEST.id, definitions: convertDefinitions(vaultDefinitions, VAULT_REQUEST) });
  ajv.addSchema({ $id: VAULT_RESPONSE.id, definitions: convertDefinitions(vaultDefinitions, VAULT_RESPONSE) });
  return ajv;
}

function operationOf(op: Operation): Schema | undefined {
  const spec = (op.service === 'graph' ? graphSpec : vaultSpec) as unknown as Spec;
  return spec.paths[op.path]?.[op.method.toLowerCase()];
}

/** The schema the description gives for a body, or undefined when it gives none. */
function schemaFor(op: Operation, direction: Direction, status: number): { schema: Schema; options: ConversionOptions } | undefined {
  const operation = operationOf(op);
  if (!operation) return undefined;
  if (op.service === 'graph') {
    if (direction === 'request') {
      const schema = (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.['application/json']?.schema;
      return schema ? { schema, options: GRAPH } : undefined;
    }
    const responses = operation.responses as Record<string, Schema>;
    let response = status < 300 ? responses['2XX'] ?? responses[String(status)] : responses.default;
    if (response && typeof response.$ref === 'string') {
      response = (graphSpec as unknown as { components: { responses: Record<string, Schema> } }).components.responses[response.$ref.split('/').pop() as string];
    }
    const schema = (response?.content as Record<string, { schema?: Schema }> | undefined)?.['application/json']?.schema;
    return schema ? { schema, options: GRAPH } : undefined;
  }
  if (direction === 'request') {
    const body = ((operation.parameters as Schema[]) ?? []).find((p) => p.in === 'body');
    return body ? { schema: body.schema as Schema, options: VAULT_REQUEST } : undefined;
  }
  const responses = operation.responses as Record<string, Schema>;
  const response = status < 300 ? responses[String(status)] : responses.default;
  return response?.schema ? { schema: response.schema as Schema, options: VAULT_RESPONSE } : undefined;
}

function validator(op: Operation, direction: Direction, status: number): ValidateFunction | undefined {
  const key = `${op.service} ${op.method} ${op.path} ${direction} ${status < 300 ? 'ok' : 'error'}`;
  if (!compiled.has(key)) {
    const found = schemaFor(op, direction, status);
    if (!found) {
      compiled.set(key, null);
    } else {
      const defs = op.service === 'graph'
        ? (graphSpec as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas
        : (vaultSpec as unknown as { definitions: Record<string, Schema> }).definitions;
      compiled.set(key, instance().compile(convertSchema(found.schema, defs, found.options)));
    }
  }
  return compiled.get(key) ?? undefined;
}

export function describedOperation(op: Operation): boolean {
  return operationOf(op) !== undefined;
}

/** Ajv's errors for a body, or [] when it conforms or when the description gives no schema for it. */
export function checkBody(op: Operation, direction: Direction, status: number, body: unknown): ErrorObject[] {
  const validate = validator(op, direction, status);
  if (!validate || body === undefined) return [];
  return validate(body) ? [] : [...(validate.errors ?? [])];
}

export function describeErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => {
    const where = e.instancePath || '(body)';
    if (e.keyword === 'additionalProperties') return `${where}: unexpected property '${String((e.params as { additionalProperty: string }).additionalProperty)}'`;
    return `${where}: ${e.message ?? e.keyword}`;
  });
}
