import type { CliCommand, CliIo } from './command';
import { commands } from './commands/index';

function helpText(all: CliCommand[]): string {
  const lines = ['Onboard: vendor integrations into Entra ID, from Teams.', '', 'Usage: onboard <command> [options]', '', 'Commands:'];
  for (const c of all) lines.push(`  ${c.name.padEnd(12)} ${c.summary}`);
  lines.push('', 'Examples:');
  for (const c of all) for (const e of c.examples.slice(0, 1)) lines.push(`  ${e}`);
  lines.push('', 'Run `onboard <command> --help` for the options of one command.');
  return lines.join('\n') + '\n';
}

export function commandHelp(c: CliCommand): string {
  return [`${c.summary}`, '', `Usage: ${c.usage}`, '', 'Examples:', ...c.examples.map((e) => `  ${e}`)].join('\n') + '\n';
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText(commands));
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`Unknown command "${name}". Run \`onboard --help\` to see the commands.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr(`onboard ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
}
