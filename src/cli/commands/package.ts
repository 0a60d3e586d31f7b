import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CliCommand } from '../command';
import { parseArgs } from '../command';
import { readEnvFile } from '../../config';
import { buildAppPackage, PackageError } from '../../deploy/appPackage';

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export const packageCommand: CliCommand = {
  name: 'package',
  summary: 'Build the Teams app package (manifest and icons) for one environment.',
  usage: 'onboard package --env <name> [--out DIR]',
  examples: ['onboard package --env dev', 'npm run package -- --env dev'],
  async run(args, io) {
    const parsed = parseArgs(args, { valued: ['env', 'out'] });
    const env = parsed.flags.get('env');
    if (typeof env !== 'string' || !ENV_NAME.test(env)) {
      io.stderr('Say which environment to package, for example: onboard package --env dev (letters, digits, - and _).\n');
      return 2;
    }
    const envFile = join(io.cwd, 'env', `.env.${env}`);
    if (!existsSync(envFile)) {
      io.stderr(`${relative(io.cwd, envFile)} does not exist. Copy env/.env.dev.sample to it, or run \`atk provision --env ${env}\`, then run this again.\n`);
      return 2;
    }
    const out = resolve(io.cwd, typeof parsed.flags.get('out') === 'string' ? String(parsed.flags.get('out')) : join('appPackage', 'build'));
    // Like the Agents Toolkit: the env file first, and a variable set in the environment wins.
    const values: Record<string, string | undefined> = { ...readEnvFile(envFile) };
    for (const [key, value] of Object.entries(io.env)) if (value) values[key] = value;
    try {
      const built = buildAppPackage(join(io.cwd, 'appPackage'), values, relative(io.cwd, envFile));
      mkdirSync(out, { recursive: true });
      const zipPath = join(out, `appPackage.${env}.zip`);
      writeFileSync(join(out, `manifest.${env}.json`), built.manifest);
      writeFileSync(zipPath, built.zip);
      io.stdout(`${relative(io.cwd, zipPath)} (${built.zip.length} bytes): upload it in Teams (Apps › Manage your apps › Upload an app) or in the Teams admin center.\n`);
      return 0;
    } catch (error) {
      if (error instanceof PackageError) {
        io.stderr(`${error.message}\n`);
        return 2;
      }
      throw error;
    }
  },
};
