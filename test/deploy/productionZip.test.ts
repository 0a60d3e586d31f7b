import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { projectRoot } from '../../src/paths';
import { distFile } from '../support/dist';

/** `.webappignore` as zip deploy reads it (the subset used: `dir/`, `*.ext`, exact paths). */
function ignored(): (path: string) => boolean {
  const rules = readFileSync(join(projectRoot, '.webappignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return (path) => rules.some((rule) => {
    if (rule.endsWith('/')) return path.startsWith(rule);
    if (rule.startsWith('*.')) return path.endsWith(rule.slice(1));
    return path === rule;
  });
}

/** Every file the zip would hold, outside node_modules (production packages only, pruned by the deploy step). */
function zipFiles(): string[] {
  const skip = ignored();
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const path = relative(projectRoot, full);
      if (path === 'node_modules') continue;
      if (statSync(full).isDirectory()) {
        if (!skip(`${path}/`)) walk(full);
      } else if (!skip(path)) found.push(path);
    }
  };
  walk(projectRoot);
  return found.sort();
}

/** What production runs, and nothing else. */
const ALLOWED = [
  /^package\.json$/,
  /^package-lock\.json$/,
  /^cards\/[\w-]+\.card\.json$/,
  /^dist\/src\/(?!localcloud\/|deploy\/|cli\/)[\w/.-]+\.(js|json)$/,
];

/** The files `dist/src/main.js` can load, following relative `require`s. */
function closure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const base = resolve(dirname(file), spec);
      const target = [base, `${base}.js`, join(base, 'index.js')].find((p) => existsSync(p) && statSync(p).isFile());
      if (target) visit(target);
    }
  };
  visit(entry);
  return [...seen].map((f) => relative(projectRoot, f)).sort();
}

describe('the production zip (zip deploy of the checkout, minus .webappignore)', () => {
  it('holds only what production runs: no local cloud, deployment tools, CLI, bench or tests', () => {
    distFile('src', 'main.js');
    const files = zipFiles();
    expect(files.filter((f) => !ALLOWED.some((a) => a.test(f)))).toEqual([]);
    expect(files.filter((f) => /localcloud|\/deploy\/|bench|test/.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/src/main.js', 'dist/src/compose/worker.js']));
  });

  it('holds everything the bot and the worker load (main.js and main.js worker)', () => {
    const files = new Set(zipFiles());
    expect(closure(distFile('src', 'main.js')).filter((f) => !files.has(f))).toEqual([]);
    expect(closure(distFile('src', 'adapters', 'telemetry', 'preload.js')).filter((f) => !files.has(f))).toEqual([]);
  });
});
