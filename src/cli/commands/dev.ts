import { resolve } from 'node:path';
import type { CliCommand } from '../command';
import { parseArgs } from '../command';
import { isPortInUse } from '../dev/ports';
import { startDevStack } from '../dev/stack';

export const devCommand: CliCommand = {
  name: 'dev',
  summary: 'Run Onboard locally: Azurite, the local cloud, the bot and the Agents Playground.',
  usage: 'onboard dev [--no-playground] [--port N] [--data DIR]',
  examples: ['onboard dev', 'onboard dev --no-playground --port 3979 --data /tmp/onboard'],
  async run(args, io) {
    const parsed = parseArgs(args, { valued: ['port', 'data'] });
    const port = Number(parsed.flags.get('port') ?? 3978);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr(`--port must be a number from 0 to 65535 (got "${String(parsed.flags.get('port'))}").\n`);
      return 2;
    }
    if (port !== 0 && (await isPortInUse(port))) {
      io.stderr(`Port ${port} is already in use. Stop whatever is using it, or pick another port: onboard dev --port ${port + 1}\n`);
      return 2;
    }
    const dataDir = resolve(io.cwd, String(parsed.flags.get('data') ?? '.data'));
    const stack = await startDevStack({ port, dataDir, playground: !parsed.flags.has('no-playground'), progress: (line) => io.stderr(`${line}\n`) });
    io.stdout(JSON.stringify(stack.ready) + '\n');
    io.stderr(`Ready. Bot: ${stack.ready.bot}${stack.ready.playground ? `  Playground: ${stack.ready.playground}` : ''}  (Ctrl-C stops everything)\n`);
    return new Promise<number>((done) => {
      let stopping = false;
      const finish = (code: number) => () => {
        if (stopping) return;
        stopping = true;
        io.stderr('Stopping…\n');
        void stack.stop().then(() => done(code));
      };
      process.once('SIGINT', finish(0));
      process.once('SIGTERM', finish(0));
      void stack.crashed.then((name) => {
        if (stopping) return;
        io.stderr(`${name} stopped unexpectedly; stopping the rest. See ${String(stack.ready.logs)}\n`);
        finish(1)();
      });
    });
  },
};
