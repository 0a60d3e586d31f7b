import { loadConfig, ConfigError } from '../../config';
import { createTableClientFactory } from '../../adapters/tables/tableClients';
import { TableAuditLog } from '../../adapters/tables/tableAuditLog';
import { createCredential } from '../../adapters/identity/credentials';
import type { CliCommand } from '../command';
import { parseArgs } from '../command';

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'Export the audit trail as JSON lines.',
  usage: 'onboard audit export [--since ISO-8601]',
  examples: ['onboard audit export > events.jsonl', 'onboard audit export --since 2026-11-01T00:00:00Z'],
  async run(args, io) {
    const parsed = parseArgs(args, { valued: ['since'] });
    if (parsed.positionals[0] !== 'export') {
      io.stderr('Usage: onboard audit export [--since ISO-8601]\n');
      return 2;
    }
    const sinceText = parsed.flags.get('since');
    const since = typeof sinceText === 'string' ? new Date(sinceText) : new Date(0);
    if (Number.isNaN(since.getTime())) {
      io.stderr(`--since must be a date such as 2026-11-01 or 2026-11-01T00:00:00Z (got "${String(sinceText)}").\n`);
      return 2;
    }
    let config;
    try {
      config = loadConfig(io.env, io.cwd);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.stderr(error.message + '\n');
      return 2;
    }
    const credential = config.tables.endpoint ? createCredential(config) : undefined;
    const audit = new TableAuditLog(createTableClientFactory(config.tables, credential));
    let count = 0;
    for await (const event of audit.since(since)) {
      io.stdout(JSON.stringify(event) + '\n');
      count++;
    }
    io.stderr(`${count} event${count === 1 ? '' : 's'} exported.\n`);
    return 0;
  },
};
