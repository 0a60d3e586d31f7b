import type { Recipe } from './catalog/recipeSchema';
import { permissionCatalog } from './catalog/permissions';

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
      const problem = hostnameProblem(raw, input.domainSuffix);
      if (problem) missing.push({ ...base, problem: `"${raw.slice(0, 80)}" ${problem}, such as ${input.example}.` });
      else values[input.name] = raw.toLowerCase();
    } else if (input.kind === 'url') {
      if (/^https:\/\/[^\s/$.?#][^\s]*$/i.test(raw) && raw.length <= 256) values[input.name] = raw.replace(/^https:\/\/[^/]+/i, (origin) => origin.toLowerCase());
      else missing.push({ ...base, problem: `"${raw.slice(0, 80)}" is not an https URL. Type one such as ${input.example}, or leave it empty.` });
    } else {
      values[input.name] = raw.slice(0, 200);
    }
  }
  return { values, missing };
}

/** A public DNS name: labels of letters, digits and inner hyphens, ending in an alphabetic top-level label (so never an IPv4 address). */
const DNS_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * What is wrong with a host name input, or undefined. It becomes redirect URIs, where Entra sends sign-in
 * codes and tokens, so it must be exactly a DNS name: no scheme, path, port, wildcard, IP address or
 * localhost; and under the vendor's domain when the recipe declares one. Said as the end of a sentence.
 */
export function hostnameProblem(raw: string, domainSuffix?: string): string | undefined {
  const host = raw.trim().toLowerCase();
  const alone = 'type the host name alone';
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) return `has a scheme: ${alone}, without https://`;
  if (host.includes('/')) return `has a path: ${alone}, without https:// or a path`;
  if (/^\[.*\]$/.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.split(':').length > 2 && /^[0-9a-f:.]+$/.test(host))) return `is an IP address: redirect URIs need a DNS host name`;
  if (/:\d*$/.test(host)) return `names a port: ${alone}; redirect URIs use the default https port`;
  if (host.includes('*')) return `is a wildcard: Entra redirect URIs need one exact host`;
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.localhost.')) return `is localhost: tokens must go to the vendor's host, not to someone's own machine`;
  if (!DNS_NAME.test(host) || permissionCatalog.exists(raw.trim())) return 'is not a host name';
  if (domainSuffix && !host.endsWith(`.${domainSuffix.toLowerCase()}`)) return `must end in .${domainSuffix}, the vendor's domain`;
  return undefined;
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
