import { resolve } from 'node:path';
import type { CliCommand } from '../command';
import { parseArgs } from '../command';
import { startLocalCloud } from '../../localcloud';

const DEFAULT_PORT = 8443;

export const localcloudCommand: CliCommand = {
  name: 'localcloud',
  summary: 'Run the local cloud alone: Entra tokens, a Microsoft Graph subset and Key Vault secrets over TLS.',
  usage: 'onboard localcloud [--port N] [--data DIR] [--reset] [--contracts off|enforce]',
  examples: ['onboard localcloud', 'onboard localcloud --port 0 --data /tmp/onboard-cloud --reset'],
  async run(args, io) {
    const parsed = parseArgs(args, { valued: ['port', 'data', 'contracts'] });
    const rawPort = parsed.flags.get('port') ?? String(DEFAULT_PORT);
    const port = Number(rawPort);
    if (rawPort === true || !Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr(`--port must be a number from 0 to 65535, 0 for any free port (got "${String(rawPort)}").\n`);
      return 2;
    }
    const contracts = parsed.flags.get('contracts') ?? 'off';
    if (contracts !== 'off' && contracts !== 'enforce') {
      io.stderr(`--contracts must be "off" or "enforce" (got "${String(contracts)}").\n`);
      return 2;
    }
    const dataDir = resolve(io.cwd, String(parsed.flags.get('data') ?? '.data/localcloud'));
    io.stderr(`Starting the local cloud (data in ${dataDir})…\n`);
    let cloud;
    try {
      cloud = await startLocalCloud({ port, dataDir, reset: parsed.flags.has('reset'), contracts, env: io.env });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE') {
        io.stderr(`Port ${port} is already in use. Stop whatever is using it, or pick another port: onboard localcloud --port ${port + 1} (or --port 0 for any free port).\n`);
        return 2;
      }
      if (e instanceof Error && (e.message.startsWith('Invalid fault rule') || e.message.includes('ONBOARD_LOCALCLOUD_'))) {
        io.stderr(`${e.message}\n`);
        return 2;
      }
      throw error;
    }
    io.stdout(JSON.stringify(cloud.readyLine()) + '\n');
    io.stderr([
      `Local cloud for "${cloud.tenantName}" is ready at ${cloud.url} (see what exists there in a browser).`,
      `Node trusts it with NODE_EXTRA_CA_CERTS=${cloud.caCertPath}; browsers need that CA imported.`,
      'Ctrl-C stops it; the tenant is kept in the data folder.',
    ].join('\n') + '\n');
    const running = cloud;
    return new Promise<number>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void running.close().then(() => done(0), () => done(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
