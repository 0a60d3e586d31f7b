/** What every `onboard <name>` sub-command exports; main.ts builds `--help` from these fields. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  examples: string[];
  /** Resolves to the process exit code: 0 ok, 2 bad input or configuration, 1 unexpected failure. */
  run(args: string[], io: CliIo): Promise<number>;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
  /** Repeatable flags such as `--input key=value`, in the order given. */
  repeated: Map<string, string[]>;
}

/** Small, dependency-free flag parser: `--flag value`, `--flag=value`, `--no-flag`, bare `--flag`. */
export function parseArgs(args: string[], options: { valued?: string[]; repeatable?: string[] } = {}): ParsedArgs {
  const valued = new Set([...(options.valued ?? []), ...(options.repeatable ?? [])]);
  const repeatable = new Set(options.repeatable ?? []);
  const parsed: ParsedArgs = { positionals: [], flags: new Map(), repeated: new Map() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--') || arg === '--') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | true = eq > 0 ? arg.slice(eq + 1) : true;
    if (value === true && valued.has(name) && i + 1 < args.length) value = args[++i];
    if (repeatable.has(name) && typeof value === 'string') {
      parsed.repeated.set(name, [...(parsed.repeated.get(name) ?? []), value]);
    } else {
      parsed.flags.set(name, value);
    }
  }
  return parsed;
}
