import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';

/** Path of a compiled file; child-process tests run the build that `npm test` makes first. */
export function distFile(...parts: string[]): string {
  const path = join(projectRoot, 'dist', ...parts);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm test does)`);
  return path;
}
