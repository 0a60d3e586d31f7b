/**
 * Turns Microsoft's OpenAPI 3.0 (Graph) and Swagger 2.0 (Key Vault) descriptions into JSON Schemas Ajv can
 * check, keeping their meaning and correcting three habits of the generators:
 * - `additionalProperties: {type: object}` is how the Graph generator marks an open type, not "every extra
 *   property is an object"; entity types are closed here (only `@odata.*`-style annotations may be added),
 *   because Graph itself rejects unknown properties. Polymorphic bases and error bodies stay open.
 * - `allOf: [base, own]` is flattened into one object, so closing it does not reject the base's properties.
 * - Graph's complex-typed properties are nullable in its CSDL though the PowerShell-flavoured slices drop the
 *   `anyOf [$ref, null]` wrapper; such properties accept null here.
 */
export type Schema = Record<string, unknown>;

export interface ConversionOptions {
  /** Absolute id under which the converted definitions are registered, e.g. `graph`. */
  id: string;
  /** Where the source keeps its named schemas, e.g. `#/components/schemas/`. */
  refPrefix: string;
  /** Close objects that list their properties. */
  closeObjects: boolean;
  /** Let properties typed by a $ref be null (Graph's complex types are nullable). */
  nullableRefs: boolean;
  /** Definitions that stay open: polymorphic bases and error bodies. */
  open: Set<string>;
}

const KEEP = new Set(['type', 'format', 'enum', 'pattern', 'required', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'title']);

export function refName(ref: string, options: ConversionOptions): string {
  if (!ref.startsWith(options.refPrefix)) throw new Error(`Unsupported $ref ${ref}`);
  return ref.slice(options.refPrefix.length);
}

const absoluteRef = (name: string, options: ConversionOptions) => ({ $ref: `${options.id}#/definitions/${name}` });

/** Properties and required names along an allOf chain. */
function collect(schema: Schema, all: Record<string, Schema>, options: ConversionOptions): { properties: Record<string, Schema>; required: string[]; title?: string } {
  const parts = (schema.allOf as Schema[] | undefined) ?? [schema];
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  let title: string | undefined;
  for (const part of parts) {
    const resolved = typeof part.$ref === 'string' ? all[refName(part.$ref, options)] : part;
    const inner = resolved.allOf ? collect(resolved, all, options) : { properties: (resolved.properties ?? {}) as Record<string, Schema>, required: (resolved.required ?? []) as string[], title: resolved.title as string | undefined };
    Object.assign(properties, inner.properties);
    required.push(...inner.required);
    title = inner.title ?? title;
  }
  return { properties, required, title };
}

export function convertSchema(schema: Schema, all: Record<string, Schema>, options: ConversionOptions, name?: string): Schema {
  if (typeof schema.$ref === 'string') return absoluteRef(refName(schema.$ref, options), options);
  if (schema.anyOf || schema.oneOf) {
    const key = schema.anyOf ? 'anyOf' : 'oneOf';
    const out: Schema = { [key]: (schema[key] as Schema[]).map((s) => convertSchema(s, all, options)) };
    if (schema.nullable) (out[key] as Schema[]).push({ type: 'null' });
    return out;
  }
  const out: Schema = {};
  let objectLike = schema.type === 'object' || !!schema.properties || !!schema.allOf;
  if (schema.allOf) {
    const merged = collect(schema, all, options);
    Object.assign(out, { type: 'object', properties: merged.properties, ...(merged.required.length ? { required: merged.required } : {}), ...(merged.title ? { title: merged.title } : {}) });
    objectLike = true;
  } else {
    for (const [key, value] of Object.entries(schema)) if (KEEP.has(key)) out[key] = value;
    if (schema.properties) out.properties = schema.properties;
  }
  if (out.properties) {
    const converted: Record<string, Schema> = {};
    for (const [prop, sub] of Object.entries(out.properties as Record<string, Schema>)) {
      const c = convertSchema(sub, all, options);
      converted[prop] = options.nullableRefs && typeof sub.$ref === 'string' ? { anyOf: [c, { type: 'null' }] } : c;
    }
    out.properties = converted;
  }
  if (schema.items) out.items = convertSchema(schema.items as Schema, all, options);
  if (schema.nullable || schema['x-nullable']) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  if (objectLike) {
    const additional = schema.additionalProperties;
    const isOpenMarker = additional && typeof additional === 'object' && (additional as Schema).type === 'object' && Object.keys(additional).length === 1;
    const listsProperties = !!out.properties && Object.keys(out.properties as object).length > 0;
    if (additional && typeof additional === 'object' && !isOpenMarker) {
      out.additionalProperties = convertSchema(additional as Schema, all, options);
    } else if (options.closeObjects && listsProperties && !(name && options.open.has(name))) {
      out.additionalProperties = false;
      // OData instance and property annotations (`@odata.type`, `owners@odata.bind`, `@odata.count`) are always allowed.
      out.patternProperties = { '@': {} };
    }
  }
  return out;
}

export function convertDefinitions(all: Record<string, Schema>, options: ConversionOptions): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(all)) out[name] = convertSchema(schema, all, options, name);
  return out;
}
