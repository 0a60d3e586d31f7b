import type { CliCommand } from '../command';
import { parseArgs } from '../command';
import { recipes } from '../../domain/catalog/recipes';

export const vendorsCommand: CliCommand = {
  name: 'vendors',
  summary: 'List the vendors Onboard knows, with their features.',
  usage: 'onboard vendors [--json]',
  examples: ['onboard vendors', 'onboard vendors --json'],
  async run(args, io) {
    const list = recipes().map((r) => ({
      id: r.id, name: r.name, aliases: r.aliases, source: r.source,
      features: r.features.map((f) => ({ id: f.id, name: f.name, modes: (['application', 'delegated'] as const).filter((m) => f.modes[m]), default: f.default })),
      unsupported: r.unsupported.map((u) => ({ id: u.id, reason: u.reason })),
    }));
    if (parseArgs(args).flags.has('json')) io.stdout(JSON.stringify(list, null, 2) + '\n');
    else for (const v of list) io.stdout(`${v.name}: ${v.features.map((f) => `${f.name} (${f.modes.join('/')})`).join('; ') || 'one fixed set of permissions'}\n`);
    return 0;
  },
};
