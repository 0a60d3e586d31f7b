import { madeByOnboard, type Inspection } from '../../app/helpdesk/inspectApp';
import type { CliCommand } from '../command';
import { readTenant } from '../tenantReading';
import { parseArgs } from '../command';

const cli = { id: 'cli', name: 'onboard inspect', isApprover: false, isHelpdesk: true };

function text(i: Inspection): string {
  const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
  const lines = [
    `${i.app.displayName}`,
    `  Application (client) ID  ${i.app.appId}`,
    `  Object ID                ${i.app.id}`,
    i.app.kind === 'enterprise' ? `  Registered in            another organisation (${i.app.publisherTenantId ?? 'unknown tenant'}): enterprise app only` : `  Created                  ${i.app.createdDateTime?.slice(0, 10) ?? 'unknown'}`,
    `  Owners                   ${i.owners.map((o) => o.displayName).join(', ') || 'none'}`,
    `  Made by Onboard          ${madeByOnboard(i)}${i.vendor ? ` (${i.vendor})` : i.vendorHint ? ` (looks like ${i.vendorHint}, by name only)` : ''}`,
    '',
    `  ${pad('API', 22)} ${pad('Permission', 34)} ${pad('Type', 11)} ${pad('Requested', 9)} ${pad('Granted', 22)} Consent / risk`,
    ...i.permissions.map((p) => {
      const granted = p.granted === 'admin' ? 'yes' : p.granted === 'per-user' ? `per-user (${p.perUserCount})` : 'no';
      const flag = i.app.kind === 'enterprise' ? '' : p.granted !== 'no' && !p.requested ? '  ! granted, not requested' : p.requested && p.granted === 'no' ? '  ! requested, not granted' : '';
      const consent = p.adminConsentRequired === null ? '?' : p.adminConsentRequired ? 'admin' : 'user';
      return `  ${pad(p.resourceKnown ? p.resource : `unknown ${p.resourceAppId}`, 22)} ${pad(p.name, 34)} ${pad(p.type, 11)} ${pad(i.app.kind === 'enterprise' ? 'n/a' : p.requested ? 'yes' : 'no', 9)} ${pad(granted, 22)} ${consent} / ${p.risk}${flag}`;
    }),
    '',
    i.drift ? `  Drift from ${i.drift.source}: ${i.drift.missing.length + i.drift.extra.length + i.drift.shape.length === 0 ? 'none' : ''}` : '  Drift: not checked (not made by Onboard, no vendor recipe matches)',
    ...(i.drift?.missing ?? []).map((m) => `    missing ${m.name} (${m.type}, ${m.resource}): ${m.problem}`),
    ...(i.drift?.extra ?? []).map((m) => `    extra   ${m.name} (${m.type}, ${m.resource}): ${m.problem}`),
    ...(i.drift?.shape ?? []).map((s) => `    ${s.what}: expected ${s.expected}, found ${s.actual}`),
    '',
    '  Credentials' + (i.credentials.length ? '' : ': none'),
    ...i.credentials.map((c) => `    ${c.kind === 'secret' ? `secret ${c.hint}` : 'certificate'} ${c.name}: ${c.start?.slice(0, 10) ?? '?'} → ${c.end?.slice(0, 10) ?? '?'} ${c.state === 'ok' ? '' : `(${c.state})`}`.trimEnd()),
  ];
  return lines.join('\n') + '\n';
}

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'What an app registration may do: requested vs granted, drift from its recipe, credentials.',
  usage: 'onboard inspect <name | appId | object id> [--json]',
  examples: ['onboard inspect Miradore', 'onboard inspect 1b2c3d4e-0000-4000-8000-000000000000 --json'],
  async run(args, io) {
    const parsed = parseArgs(args);
    const target = parsed.positionals.join(' ').trim();
    if (!target) {
      io.stderr('Which app? Usage: onboard inspect <name | appId | object id> [--json]\n');
      return 2;
    }
    const tenant = readTenant(io, 'inspect');
    if (!tenant) return 2;
    const { inspect } = tenant;
    const outcome = await inspect.execute({ target, actor: cli });
    const json = parsed.flags.has('json');
    if (outcome.kind === 'found') {
      io.stdout(json ? JSON.stringify(outcome.inspection, null, 2) + '\n' : text(outcome.inspection));
      return 0;
    }
    if (json) io.stdout(JSON.stringify(outcome, null, 2) + '\n');
    if (outcome.kind === 'ambiguous') io.stderr(`${outcome.choices.length} apps match "${target}":\n${outcome.choices.map((c) => `  ${c.appId}  ${c.displayName}`).join('\n')}\nRun again with the Application (client) ID.\n`);
    else io.stderr(`No app called "${target}".${outcome.suggestions.length ? ` Did you mean: ${outcome.suggestions.map((s) => `"${s}"`).join(', ')}?` : ''}\n`);
    return 2;
  },
};
