import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';

/**
 * Reads the Bicep files as plain text. There is no Bicep compiler on the build machines, so infra/
 * keeps a plain shape that these few patterns understand, and the tests fail loudly if it drifts.
 */
export const infraText = (path: string) => readFileSync(join(projectRoot, 'infra', path), 'utf8');

/** The text between the `{` that starts at `open` and its matching `}`. */
function block(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces after offset ${open}`);
}

/** Keys at the top level of an object literal's body, with their raw value text. */
function topLevelEntries(body: string): Map<string, string> {
  const entries = new Map<string, string>();
  let depth = 0;
  let start = 0;
  const flush = (end: number) => {
    const part = body.slice(start, end).trim();
    const match = /^'?([A-Za-z_][A-Za-z0-9_]*)'?\s*:\s*([\s\S]+)$/.exec(part);
    if (match) entries.set(match[1], match[2].trim());
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (c === "'") i = body.indexOf("'", i + 1);
    else if ((c === '\n' || c === ',') && depth === 0) {
      flush(i);
      start = i + 1;
    }
  }
  flush(body.length);
  return entries;
}

/** main.bicep's `var appSettings = { … }`: setting name → Bicep expression. */
export function appSettings(): Map<string, string> {
  const text = infraText('main.bicep');
  const at = text.indexOf('var appSettings = {');
  if (at < 0) throw new Error('infra/main.bicep has no `var appSettings = {`');
  return topLevelEntries(block(text, text.indexOf('{', at)));
}

export function outputs(path: string): string[] {
  return [...infraText(path).matchAll(/^output (\w+) \w+ =/gm)].map((m) => m[1]);
}

export interface BicepParam {
  name: string;
  hasDefault: boolean;
}

export function params(path: string): BicepParam[] {
  return [...infraText(path).matchAll(/^param (\w+) [\w.]+( =)?/gm)].map((m) => ({ name: m[1], hasDefault: m[2] !== undefined }));
}

export interface ModuleUse {
  symbol: string;
  path: string;
  params: string[];
}

export function modules(path: string): ModuleUse[] {
  const text = infraText(path);
  return [...text.matchAll(/^module (\w+) '([^']+)' = \{/gm)].map((m) => {
    const body = topLevelEntries(block(text, m.index! + m[0].length - 1));
    const paramsText = body.get('params') ?? '{}';
    return { symbol: m[1], path: m[2], params: [...topLevelEntries(block(paramsText, 0)).keys()] };
  });
}

/** `${{NAME}}` references in a Toolkit-style file. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))];
}
