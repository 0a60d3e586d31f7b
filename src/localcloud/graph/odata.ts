import { GraphError } from '../errors';
import type { Reply } from '../http';
import type { GraphObject } from '../model';
import type { GraphCall } from './context';
import { evaluate, filterFacts, parseFilter } from './filter';

/** What a collection endpoint needs to answer OData queries like Graph: the entity set and type names, and its properties. */
export interface EntitySet {
  /** Context segment, e.g. `applications` or `servicePrincipals('id')/appRoleAssignedTo`. */
  context: string;
  /** Type name without namespace, e.g. `application`. */
  type: string;
  properties: ReadonlySet<string>;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;

const eventual = (call: GraphCall) => (call.req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';

function unknownProperty(set: EntitySet, name: string, select: boolean): GraphError {
  const prefix = select ? 'Parsing OData Select and Expand failed: ' : '';
  return new GraphError(400, 'BadRequest', `${prefix}Could not find a property named '${name}' on type 'microsoft.graph.${set.type}'.`);
}

export function selectedProperties(call: GraphCall, set: EntitySet): string[] | undefined {
  const raw = call.req.query.get('$select');
  if (raw === null) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) if (!set.properties.has(name)) throw unknownProperty(set, name, true);
  return names;
}

function project(item: GraphObject, select: string[] | undefined): GraphObject {
  if (!select) return item;
  const out: GraphObject = {};
  if (typeof item['@odata.type'] === 'string') out['@odata.type'] = item['@odata.type'];
  for (const name of select) out[name] = item[name] ?? null;
  return out;
}

function unsupported(call: GraphCall): void {
  // Directory objects page with $top and @odata.nextLink only; Graph refuses $skip on them rather than ignore it
  // (https://learn.microsoft.com/graph/aad-advanced-queries, "$skip" is not supported for directory objects).
  if (call.req.query.has('$skip')) throw new GraphError(400, 'Request_BadRequest', '\'$skip\' is not supported by the service.');
  const expand = call.req.query.get('$expand');
  if (expand !== null) throw new GraphError(400, 'Request_UnsupportedQuery', `The local cloud does not emulate $expand (asked for '${expand}'); read the related objects with their own request.`);
}

function contextUrl(call: GraphCall, set: EntitySet, select: string[] | undefined, entity: boolean): string {
  return `${call.req.origin}/v1.0/$metadata#${set.context}${select ? `(${select.join(',')})` : ''}${entity ? '/$entity' : ''}`;
}

/** A single entity, as GET returns it. */
export function entityReply(call: GraphCall, set: EntitySet, item: GraphObject, status = 200): Reply {
  unsupported(call);
  const select = selectedProperties(call, set);
  return { status, json: { '@odata.context': contextUrl(call, set, select, true), ...project(item, select) } };
}

function pageOf(call: GraphCall): { offset: number; size: number } {
  const top = call.req.query.get('$top');
  let size = DEFAULT_PAGE;
  if (top !== null) {
    size = Number(top);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new GraphError(400, 'Request_BadRequest', `Invalid page size specified: '${top}'. Must be between 1 and ${MAX_PAGE} inclusive.`);
  }
  const token = call.req.query.get('$skiptoken');
  let offset = 0;
  if (token !== null) {
    try {
      offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number }).o;
    } catch {
      offset = NaN;
    }
    if (!Number.isInteger(offset) || offset < 0) throw new GraphError(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
  }
  return { offset, size };
}

/** A collection with $filter, $search, $orderby, $count, $top/$skiptoken paging and $select applied. */
export function collectionReply(call: GraphCall, set: EntitySet, all: GraphObject[], options: { countSegment?: boolean } = {}): Reply {
  unsupported(call);
  const query = call.req.query;
  const select = selectedProperties(call, set);
  let items = all;
  const filter = query.get('$filter');
  const wantsCount = (query.get('$count') ?? '').toLowerCase() === 'true' || options.countSegment;
  if (filter !== null) {
    const tree = parseFilter(filter);
    const facts = filterFacts(tree);
    for (const name of facts.properties) if (!set.properties.has(name)) throw unknownProperty(set, name, false);
    if (facts.advanced && !(eventual(call) && wantsCount)) {
      throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${facts.properties[0]}' of resource '${set.type[0].toUpperCase()}${set.type.slice(1)}'.`);
    }
    items = items.filter((item) => evaluate(tree, item));
  }
  const search = query.get('$search');
  if (search !== null) {
    if (!eventual(call)) throw new GraphError(400, 'Request_UnsupportedQuery', 'Request with $search query parameter only works through MSGraph with a special request header: \'ConsistencyLevel: eventual\'');
    const terms = [...search.matchAll(/"([^":]+):([^"]*)"/g)];
    if (terms.length === 0) throw new GraphError(400, 'Request_UnsupportedQuery', `Syntax error: '${search}' is not a valid $search; use "property:text" in double quotes.`);
    items = items.filter((item) => terms.every(([, prop, text]) => String(item[prop] ?? '').toLowerCase().split(/[\s\-_.]+/).some((word) => word.startsWith(text.toLowerCase())) || String(item[prop] ?? '').toLowerCase().startsWith(text.toLowerCase())));
  }
  const orderBy = query.get('$orderby');
  if (orderBy !== null) {
    const [prop, direction = 'asc'] = orderBy.trim().split(/\s+/);
    if (!set.properties.has(prop)) throw unknownProperty(set, prop, false);
    const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
    items = [...items].sort((a, b) => sign * String(a[prop] ?? '').localeCompare(String(b[prop] ?? ''), 'en', { sensitivity: 'base' }));
  }
  if (wantsCount && !eventual(call)) {
    throw new GraphError(400, 'Request_BadRequest', '$count is not currently supported without the header \'ConsistencyLevel: eventual\'.');
  }
  if (options.countSegment) return { status: 200, text: String(items.length), contentType: 'text/plain; charset=utf-8' };
  const { offset, size } = pageOf(call);
  const page = items.slice(offset, offset + size).map((item) => project(item, select));
  const json: Record<string, unknown> = { '@odata.context': contextUrl(call, set, select, false) };
  if (wantsCount) json['@odata.count'] = items.length;
  if (offset + size < items.length) {
    const next = new URLSearchParams();
    for (const [k, v] of query) if (k !== '$skiptoken') next.append(k, v);
    next.set('$skiptoken', Buffer.from(JSON.stringify({ o: offset + size })).toString('base64url'));
    json['@odata.nextLink'] = `${call.req.origin}/v1.0${call.path}?${next.toString().replace(/%24/g, '$')}`;
  }
  json.value = page;
  return { status: 200, json };
}
