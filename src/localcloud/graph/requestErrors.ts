import type { ErrorObject } from 'ajv';
import { GraphError } from '../errors';

/**
 * Turns the first contract violation in a request body into the 400 Graph answers with, using the messages of
 * Graph's OData reader (unknown property, wrong JSON node, unconvertible literal) and of the directory service.
 */
const EDM: Record<string, string> = { string: 'Edm.String', boolean: 'Edm.Boolean', integer: 'Edm.Int32', number: 'Edm.Double' };

function nodeKind(value: unknown): string {
  if (Array.isArray(value)) return 'StartArray';
  if (value !== null && typeof value === 'object') return 'StartObject';
  return 'PrimitiveValue';
}

function propertyName(error: ErrorObject): string {
  const parts = error.instancePath.split('/').filter(Boolean).filter((p) => !/^\d+$/.test(p));
  return parts[parts.length - 1] ?? '';
}

function typeName(error: ErrorObject, resource: string): string {
  const title = (error.parentSchema as { title?: string } | undefined)?.title;
  return `microsoft.graph.${title ?? resource[0].toLowerCase() + resource.slice(1)}`;
}

export function requestError(errors: ErrorObject[], action: string | undefined, resource: string): GraphError {
  const useful = errors.filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null'));
  const error = useful.find((e) => e.keyword === 'additionalProperties') ?? useful[0] ?? errors[0];
  const target = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
  const fail = (code: string, message: string) => {
    const graphError = new GraphError(400, code, message);
    (graphError as GraphError & { target?: string }).target = target;
    return graphError;
  };
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      if (action && error.instancePath === '') return fail('BadRequest', `The parameter '${name}' in the request payload is not a valid parameter for the operation '${action}'.`);
      return fail('BadRequest', `The property '${name}' does not exist on type '${typeName(error, resource)}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type).split(',')[0];
      const found = error.data;
      if (EDM[expected] && nodeKind(found) === 'PrimitiveValue') return fail('BadRequest', `Cannot convert the literal '${String(found)}' to the expected type '${EDM[expected]}'.`);
      const wanted = expected === 'object' ? 'StartObject' : expected === 'array' ? 'StartArray' : 'PrimitiveValue';
      return fail('BadRequest', `An unexpected '${nodeKind(found)}' node was found when reading from the JSON reader. A '${wanted}' node was expected.`);
    }
    case 'required':
      return fail('Request_BadRequest', `Required property '${(error.params as { missingProperty: string }).missingProperty}' is missing.`);
    default:
      return fail('Request_BadRequest', `Invalid value specified for property '${propertyName(error)}' of resource '${resource}'.`);
  }
}
