import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding Onboard's package.json, whether running from src/ (tests) or dist/src/ (built). */
function findRoot(start: string): string {
  let dir = start;
  while (dirname(dir) !== dir) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'onboard') return dir;
    dir = dirname(dir);
  }
  throw new Error(`Cannot find Onboard's package.json above ${start}`);
}

export const projectRoot = findRoot(__dirname);
export const packageVersion: string = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version;
