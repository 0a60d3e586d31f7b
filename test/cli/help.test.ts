import { main } from '../../src/cli/main';
import { commands } from '../../src/cli/commands/index';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd() });
  return { code, out, err };
}

describe('onboard --help', () => {
  it('lists every command with an example', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    for (const c of commands) {
      expect(out).toMatch(new RegExp(`^  ${c.name}\\s+${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(out).toContain(c.examples[0]);
    }
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(['dev', 'plan', 'vendors', 'audit', 'localcloud']));
  });

  it('shows the usage and examples of one command', async () => {
    const { code, out } = await run('plan', '--help');
    expect(code).toBe(0);
    expect(out).toContain('Usage: onboard plan "<request>"');
    expect(out).toContain('--input domain=contoso.cirrus.example');
  });

  it('names an unknown command and where to look', async () => {
    const { code, err } = await run('deploy');
    expect(code).toBe(2);
    expect(err).toContain('Unknown command "deploy"');
    expect(err).toContain('onboard --help');
  });
});
