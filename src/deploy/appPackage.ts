import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createZip } from './zip';

/** The files a Teams app package holds, at the zip's root. */
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** A problem the person packaging can fix; the CLI prints it without a stack trace. */
export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** What Teams would reject later, said now, next to the env file that holds the value. */
const valueRules: { test: (name: string) => boolean; valid: (value: string) => boolean; expect: string }[] = [
  { test: (name) => name === 'TEAMS_APP_ID' || name === 'BOT_ID', valid: (v) => GUID.test(v), expect: 'a GUID such as 00000000-0000-0000-0000-000000000000' },
  { test: (name) => name.endsWith('_DOMAIN'), valid: (v) => HOST.test(v), expect: 'a host name without https:// or a path, such as onboard-dev.azurewebsites.net' },
  { test: (name) => name.endsWith('_URL'), valid: (v) => /^https:\/\/[^\s]+$/.test(v), expect: 'an https:// URL' },
];

function valueProblems(names: string[], values: Record<string, string | undefined>): string[] {
  return names.flatMap((name) => {
    const rule = valueRules.find((r) => r.test(name));
    const value = values[name]!;
    return rule && !rule.valid(value) ? [`${name} must be ${rule.expect} (got "${value.slice(0, 80)}")`] : [];
  });
}

/** The `${{NAME}}` variables a manifest template uses, in first-use order. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Fills `${{NAME}}` from `values`. A missing or empty value is an error naming every such variable,
 * since Teams would reject (or worse, accept) a manifest with a literal placeholder in it.
 * Values are JSON-escaped because every placeholder sits inside a JSON string.
 */
export function fillManifest(template: string, values: Record<string, string | undefined>, source: string): string {
  const missing = placeholdersIn(template).filter((name) => !values[name]);
  if (missing.length > 0) {
    throw new PackageError(`appPackage/manifest.json needs ${missing.map((n) => `\${{${n}}}`).join(', ')}, which ${source} does not set. Add ${missing.length === 1 ? 'it' : 'them'} (see env/.env.dev.sample) and run the command again.`);
  }
  const problems = valueProblems(placeholdersIn(template), values);
  if (problems.length > 0) throw new PackageError(`${source} has ${problems.length === 1 ? 'a value' : 'values'} Teams would reject:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const filled = template.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(values[name]).slice(1, -1));
  try {
    JSON.parse(filled);
  } catch (error) {
    throw new PackageError(`appPackage/manifest.json is not valid JSON: ${(error as Error).message}`);
  }
  return filled;
}

export interface BuiltPackage {
  manifest: string;
  zip: Buffer;
}

/** Reads `appPackage/` under `root`, fills the manifest and zips it with the two icons. */
export function buildAppPackage(appPackageDir: string, values: Record<string, string | undefined>, source: string): BuiltPackage {
  for (const name of PACKAGE_FILES) {
    if (!existsSync(join(appPackageDir, name))) throw new PackageError(`${join(appPackageDir, name)} is missing.`);
  }
  const manifest = fillManifest(readFileSync(join(appPackageDir, 'manifest.json'), 'utf8'), values, source);
  const zip = createZip([
    { name: 'manifest.json', data: Buffer.from(manifest, 'utf8') },
    { name: 'color.png', data: readFileSync(join(appPackageDir, 'color.png')) },
    { name: 'outline.png', data: readFileSync(join(appPackageDir, 'outline.png')) },
  ]);
  return { manifest, zip };
}
