import { GraphError } from '../errors';

/**
 * OData `$filter` as Graph's directory endpoints accept it: comparisons (eq ne gt ge lt le, in), startswith /
 * endswith, `any`/`all` lambdas over collections (`tags/any(t:t eq 'x')`,
 * `requiredResourceAccess/any(r:r/resourceAppId eq '…')`), and/or/not, parentheses.
 */
export type FilterNode =
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; path: string[]; value: unknown }
  | { kind: 'in'; path: string[]; values: unknown[] }
  | { kind: 'func'; name: 'startswith' | 'endswith'; path: string[]; value: string }
  | { kind: 'lambda'; op: 'any' | 'all'; path: string[]; variable: string; body: FilterNode | undefined }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; inner: FilterNode };

type Token = { type: 'word' | 'string' | 'number' | 'punct'; text: string; value?: unknown; at: number };

const syntax = (filter: string, at: number, what: string) => new GraphError(400, 'BadRequest', `Invalid filter clause: ${what} at position ${at} in '${filter}'.`);

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= filter.length) throw syntax(filter, i, 'Unterminated string literal');
        if (filter[j] === "'") {
          if (filter[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += filter[j++];
      }
      tokens.push({ type: 'string', text, value: text, at: i });
      i = j + 1;
      continue;
    }
    if ('(),:/'.includes(c)) { tokens.push({ type: 'punct', text: c, at: i }); i++; continue; }
    const word = /^[A-Za-z_$@.][A-Za-z0-9_$@.-]*|^-?[0-9][0-9a-fA-F.-]*/.exec(filter.slice(i));
    if (!word) throw syntax(filter, i, `Syntax error: character '${c}' is not valid`);
    const text = word[0];
    if (/^-?\d+(\.\d+)?$/.test(text)) tokens.push({ type: 'number', text, value: Number(text), at: i });
    else tokens.push({ type: 'word', text, at: i });
    i += text.length;
  }
  return tokens;
}

export function parseFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (text: string) => {
    const t = tokens[pos];
    if (!t || t.text.toLowerCase() !== text) throw syntax(filter, t?.at ?? filter.length, `Syntax error: '${text}' expected`);
    pos++;
  };
  const isWord = (text: string) => peek()?.type === 'word' && peek().text.toLowerCase() === text;

  const path = (): string[] => {
    const t = tokens[pos];
    if (!t || t.type !== 'word') throw syntax(filter, t?.at ?? filter.length, 'Syntax error: a property name was expected');
    const parts = [t.text];
    pos++;
    while (peek()?.text === '/' && tokens[pos + 1]?.type === 'word' && !['any', 'all'].includes(tokens[pos + 1].text.toLowerCase())) {
      parts.push(tokens[pos + 1].text);
      pos += 2;
    }
    return parts;
  };

  const literal = (): unknown => {
    const t = tokens[pos];
    if (!t) throw syntax(filter, filter.length, 'Syntax error: a value was expected');
    pos++;
    if (t.type === 'string' || t.type === 'number') return t.value;
    if (t.type === 'word') {
      const lower = t.text.toLowerCase();
      if (lower === 'null') return null;
      if (lower === 'true') return true;
      if (lower === 'false') return false;
    }
    // Graph accepts unquoted GUIDs for Edm.Guid properties.
    if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(t.text)) return t.text;
    throw syntax(filter, t.at, `Syntax error: '${t.text}' is not a valid value`);
  };

  const primary = (): FilterNode => {
    if (peek()?.text === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    if ((isWord('startswith') || isWord('endswith')) && tokens[pos + 1]?.text === '(') {
      const name = peek().text.toLowerCase() as 'startswith' | 'endswith';
      pos += 2;
      const p = path();
      expect(',');
      const value = literal();
      if (typeof value !== 'string') throw syntax(filter, tokens[pos - 1].at, `Syntax error: ${name} needs a string`);
      expect(')');
      return { kind: 'func', name, path: p, value };
    }
    if (peek()?.type === 'word' && tokens[pos + 1]?.text === '(' && !['not'].includes(peek().text.toLowerCase())) {
      throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported Query: the function '${peek().text}' is not supported.`);
    }
    const p = path();
    if (peek()?.text === '/' && (tokens[pos + 1]?.text.toLowerCase() === 'any' || tokens[pos + 1]?.text.toLowerCase() === 'all')) {
      const op = tokens[pos + 1].text.toLowerCase() as 'any' | 'all';
      pos += 2;
      expect('(');
      if (peek()?.text === ')') { pos++; return { kind: 'lambda', op, path: p, variable: '', body: undefined }; }
      const variable = tokens[pos];
      if (!variable || variable.type !== 'word') throw syntax(filter, variable?.at ?? filter.length, 'Syntax error: a lambda variable was expected');
      pos++;
      expect(':');
      const body = or();
      expect(')');
      return { kind: 'lambda', op, path: p, variable: variable.text, body };
    }
    const opToken = tokens[pos];
    if (!opToken || opToken.type !== 'word') throw syntax(filter, opToken?.at ?? filter.length, 'Syntax error: an operator was expected');
    const op = opToken.text.toLowerCase();
    pos++;
    if (op === 'in') {
      expect('(');
      const values = [literal()];
      while (peek()?.text === ',') { pos++; values.push(literal()); }
      expect(')');
      return { kind: 'in', path: p, values };
    }
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw syntax(filter, opToken.at, `Syntax error: '${opToken.text}' is not a supported operator`);
    return { kind: 'compare', op: op as 'eq', path: p, value: literal() };
  };

  const unary = (): FilterNode => {
    if (isWord('not')) { pos++; return { kind: 'not', inner: unary() }; }
    return primary();
  };
  const and = (): FilterNode => {
    let left = unary();
    while (isWord('and')) { pos++; left = { kind: 'and', left, right: unary() }; }
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (isWord('or')) { pos++; left = { kind: 'or', left, right: and() }; }
    return left;
  };

  if (tokens.length === 0) throw syntax(filter, 0, 'Syntax error: the filter is empty');
  const tree = or();
  if (pos < tokens.length) throw syntax(filter, tokens[pos].at, `Syntax error: unexpected '${tokens[pos].text}'`);
  return tree;
}

/** Property names the filter reads at the top level, and whether it needs Graph's advanced query support. */
export function filterFacts(node: FilterNode): { properties: string[]; advanced: boolean } {
  const properties: string[] = [];
  let advanced = false;
  const walk = (n: FilterNode, scope: string | undefined) => {
    switch (n.kind) {
      case 'and': case 'or': walk(n.left, scope); walk(n.right, scope); break;
      case 'not': advanced = true; walk(n.inner, scope); break;
      case 'lambda': if (n.path[0] !== scope) properties.push(n.path[0]); if (n.body) walk(n.body, n.variable); break;
      case 'func': if (n.name === 'endswith') advanced = true; if (n.path[0] !== scope) properties.push(n.path[0]); break;
      case 'compare': if (n.op === 'ne') advanced = true; if (n.path[0] !== scope) properties.push(n.path[0]); break;
      case 'in': if (n.path[0] !== scope) properties.push(n.path[0]); break;
    }
  };
  walk(node, undefined);
  return { properties, advanced };
}

function resolve(item: unknown, path: string[], vars: Map<string, unknown>): unknown {
  let current: unknown = vars.has(path[0]) ? vars.get(path[0]) : (item as Record<string, unknown>)?.[path[0]];
  for (const part of path.slice(1)) current = (current as Record<string, unknown> | null | undefined)?.[part];
  return current;
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === (b ?? null);
}

function order(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase().localeCompare(b.toLowerCase());
  return Number(a) - Number(b);
}

export function evaluate(node: FilterNode, item: unknown, vars: Map<string, unknown> = new Map()): boolean {
  switch (node.kind) {
    case 'and': return evaluate(node.left, item, vars) && evaluate(node.right, item, vars);
    case 'or': return evaluate(node.left, item, vars) || evaluate(node.right, item, vars);
    case 'not': return !evaluate(node.inner, item, vars);
    case 'in': { const v = resolve(item, node.path, vars); return node.values.some((x) => same(v, x)); }
    case 'func': {
      const v = resolve(item, node.path, vars);
      if (typeof v !== 'string') return false;
      return node.name === 'startswith' ? v.toLowerCase().startsWith(node.value.toLowerCase()) : v.toLowerCase().endsWith(node.value.toLowerCase());
    }
    case 'compare': {
      const v = resolve(item, node.path, vars);
      switch (node.op) {
        case 'eq': return same(v, node.value);
        case 'ne': return !same(v, node.value);
        case 'gt': return v != null && order(v, node.value) > 0;
        case 'ge': return v != null && order(v, node.value) >= 0;
        case 'lt': return v != null && order(v, node.value) < 0;
        case 'le': return v != null && order(v, node.value) <= 0;
      }
      return false;
    }
    case 'lambda': {
      const list = resolve(item, node.path, vars);
      if (!Array.isArray(list)) return false;
      if (!node.body) return node.op === 'any' ? list.length > 0 : true;
      const body = node.body;
      const test = (element: unknown) => evaluate(body, item, new Map(vars).set(node.variable, element));
      return node.op === 'any' ? list.some(test) : list.every(test);
    }
  }
}
