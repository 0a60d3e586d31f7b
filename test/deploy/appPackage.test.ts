import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { main } from '../../src/cli/main';
import { projectRoot } from '../../src/paths';
import { readEnvFile } from '../../src/config';
import { decodePng, readPngHeader } from '../../src/deploy/png';
import { iconFiles } from '../../src/deploy/icons';
import { commandWords, parseCommand } from '../../src/domain/commands';
import { distFile } from '../support/dist';
import { manifestValidator } from './manifestSchema';

/** A copy of the project's appPackage/ and the sample env, so a build never writes into the repository. */
function workspace(envText = readFileSync(join(projectRoot, 'env', '.env.dev.sample'), 'utf8')): string {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-package-'));
  mkdirSync(join(dir, 'appPackage'));
  mkdirSync(join(dir, 'env'));
  for (const name of ['manifest.json', 'color.png', 'outline.png']) copyFileSync(join(projectRoot, 'appPackage', name), join(dir, 'appPackage', name));
  writeFileSync(join(dir, 'env', '.env.dev'), envText);
  return dir;
}

async function packageIn(cwd: string, args = ['--env', 'dev']) {
  let stdout = '';
  let stderr = '';
  const code = await main(['package', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd });
  return { code, stdout, stderr };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('npm run package -- --env dev, with the sample env', () => {
  let zip: JSZip;
  let manifest: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const sample = readEnvFile(join(projectRoot, 'env', '.env.dev.sample'));

  beforeAll(async () => {
    const dir = workspace();
    dirs.push(dir);
    const run = await packageIn(dir);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(join('appPackage', 'build', 'appPackage.dev.zip'));
    zip = await JSZip.loadAsync(readFileSync(join(dir, 'appPackage', 'build', 'appPackage.dev.zip')));
    manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
  });

  it('holds exactly manifest.json and the two icons, at the root', () => {
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('has a manifest that Microsoft\'s v1.29 schema accepts, with every placeholder filled from the env file', async () => {
    expect(manifestValidator()(manifest)).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.id).toBe(sample.TEAMS_APP_ID);
    expect(manifest.bots[0].botId).toBe(sample.BOT_ID);
    expect(manifest.validDomains).toEqual([sample.BOT_DOMAIN]);
    expect(manifest.developer.privacyUrl).toBe(sample.DEVELOPER_PRIVACY_URL);
  });

  it('offers the bot in personal chats, teams and group chats', () => {
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    const listed = manifest.bots[0].commandLists.flatMap((l: { scopes: string[] }) => l.scopes).sort();
    expect(listed).toEqual(['groupChat', 'personal', 'team']);
  });

  it('lists only commands the parser understands, each with a hint, and every command word in a team', () => {
    for (const list of manifest.bots[0].commandLists) {
      for (const command of list.commands) {
        expect({ title: command.title, kind: parseCommand(command.title).kind }).not.toMatchObject({ kind: 'unknown' });
        expect(command.description.length).toBeGreaterThan(10);
      }
    }
    const teamList = manifest.bots[0].commandLists.find((l: { scopes: string[] }) => l.scopes.includes('team'));
    const teamKinds = new Set(teamList.commands.map((c: { title: string }) => parseCommand(c.title).kind));
    for (const word of commandWords) expect({ word: word.word, listed: teamKinds.has(parseCommand(word.example).kind) }).toEqual({ word: word.word, listed: true });
  });

  it('ships a 192×192 colour icon and a 32×32 outline that is white on transparent', async () => {
    const color = await zip.file('color.png')!.async('nodebuffer');
    const outline = await zip.file('outline.png')!.async('nodebuffer');
    expect(readPngHeader(color)).toMatchObject({ width: 192, height: 192 });
    expect(readPngHeader(outline)).toMatchObject({ width: 32, height: 32 });
    const pixels = decodePng(outline).rgba;
    let drawn = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b, a] = pixels.subarray(i, i + 4);
      if (a === 0) continue;
      drawn++;
      expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(drawn).toBeGreaterThan(50);
    expect(drawn).toBeLessThan(32 * 32 - 200);
  });

  it('ships the icons the generator draws (run `node dist/src/deploy/icons.js` after a design change)', () => {
    const generated = iconFiles();
    expect(readFileSync(join(projectRoot, 'appPackage', 'color.png')).equals(generated['color.png'])).toBe(true);
    expect(readFileSync(join(projectRoot, 'appPackage', 'outline.png')).equals(generated['outline.png'])).toBe(true);
  });
});

describe('a package built twice from the same files', () => {
  it('has the same bytes, so a changed zip always means a changed app', async () => {
    const dir = workspace();
    dirs.push(dir);
    const zipPath = join(dir, 'appPackage', 'build', 'appPackage.dev.zip');
    expect((await packageIn(dir)).code).toBe(0);
    const first = readFileSync(zipPath);
    expect((await packageIn(dir)).code).toBe(0);
    expect(readFileSync(zipPath).equals(first)).toBe(true);
  });
});

describe('a package that cannot be built', () => {
  it('names the unfilled placeholder, exits 2, and writes no zip', async () => {
    const text = readFileSync(join(projectRoot, 'env', '.env.dev.sample'), 'utf8').replace(/^BOT_DOMAIN=.*$/m, 'BOT_DOMAIN=');
    const dir = workspace(text);
    dirs.push(dir);
    const run = await packageIn(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('${{BOT_DOMAIN}}');
    expect(run.stderr).toContain(join('env', '.env.dev'));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'appPackage', 'build', 'appPackage.dev.zip'))).toBe(false);
  });

  it('names a value Teams would reject, such as a domain given as a URL', async () => {
    const text = readFileSync(join(projectRoot, 'env', '.env.dev.sample'), 'utf8').replace(/^BOT_DOMAIN=(.*)$/m, 'BOT_DOMAIN=https://$1/').replace(/^BOT_ID=.*$/m, 'BOT_ID=my-bot');
    const dir = workspace(text);
    dirs.push(dir);
    const run = await packageIn(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('BOT_DOMAIN must be a host name without https://');
    expect(run.stderr).toContain('BOT_ID must be a GUID');
    expect(existsSync(join(dir, 'appPackage', 'build', 'appPackage.dev.zip'))).toBe(false);
  });

  it('says how to create a missing env file', async () => {
    const dir = workspace();
    dirs.push(dir);
    const run = await packageIn(dir, ['--env', 'prod']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('env/.env.prod does not exist');
    expect(run.stderr).toContain('.env.dev.sample');
  });

  it('refuses an env name that is not a plain word', async () => {
    const run = await packageIn(tmpdir(), ['--env', '../../etc/passwd']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--env dev');
  });

  it('fails the same way from the command line, with no stack trace', () => {
    const dir = workspace('TEAMS_APP_ID=3f2b6c1e-8a4d-4e6b-9c2a-1d7e5f0a9b31\n');
    dirs.push(dir);
    distFile('src', 'cli', 'main.js');
    const result = spawnSync(process.execPath, [join(projectRoot, 'bin', 'onboard.js'), 'package', '--env', 'dev'], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('${{BOT_ID}}');
    expect(result.stderr).toContain('${{BOT_DOMAIN}}');
    expect(result.stderr).not.toContain('${{TEAMS_APP_ID}}');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
