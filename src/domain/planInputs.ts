import type { Recipe } from './catalog/recipeSchema';
import { looksLikeHostname } from './commandWords';

export interface MissingInput {
  name: string;
  label: string;
  example: string;
  problem?: string;
}

/** Checks and normalises the recipe's inputs. Host names are lowercased: Entra compares redirect URIs case-sensitively. */
export function checkInputs(recipe: Recipe, given: Record<string, string>): { values: Record<string, string>; missing: MissingInput[] } {
  const values: Record<string, string> = {};
  const missing: MissingInput[] = [];
  for (const input of recipe.inputs) {
    const raw = (given[input.name] ?? '').trim();
    const base = { name: input.name, label: input.label, example: input.example };
    if (!raw) {
      if (input.required) missing.push(base);
      continue;
    }
    if (input.kind === 'hostname') {
      const host = raw.toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
      if (looksLikeHostname(host)) values[input.name] = host;
      else missing.push({ ...base, problem: `"${raw.slice(0, 80)}" is not a host name. Type one such as ${input.example}.` });
    } else if (input.kind === 'url') {
      if (/^https:\/\/[^\s/$.?#][^\s]*$/i.test(raw) && raw.length <= 256) values[input.name] = raw.replace(/^https:\/\/[^/]+/i, (origin) => origin.toLowerCase());
      else missing.push({ ...base, problem: `"${raw.slice(0, 80)}" is not an https URL. Type one such as ${input.example}, or leave it empty.` });
    } else {
      values[input.name] = raw.slice(0, 200);
    }
  }
  return { values, missing };
}

/** Fills `{name}` placeholders; a template whose input is absent yields undefined. */
export function fill(template: string, values: Record<string, string>): string | undefined {
  let complete = true;
  const text = template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
    if (values[name] !== undefined) return values[name];
    complete = false;
    return whole;
  });
  return complete ? text : undefined;
}
