import { PlanOffboard } from '../../app/offboarding/planOffboard';
import type { OffboardPlan } from '../../domain/offboarding';
import type { CliCommand } from '../command';
import { readTenant } from '../tenantReading';
import { parseArgs } from '../command';

/** Entra keeps a deleted application restorable this long (docs/offboarding.md). */
const DELETED_ITEMS_DAYS = 30;

function text(plan: OffboardPlan): string {
  const { holds } = plan;
  const widths = [Math.max(10, ...holds.permissions.map((p) => p.name.length)), 11];
  const row = (cells: string[]) => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
  return [
    `Offboard ${plan.displayName}  (risk ${plan.risk})`,
    `  Application (client) ID  ${plan.target.appId}`,
    `  Made by Onboard          request ${plan.ofRequestId}`,
    ...(plan.proposedByReview ? ['  Proposed by              the periodic review (nobody confirmed it is still needed)'] : []),
    '',
    'Step 1, at once: disable sign-in of the enterprise app (accountEnabled false). An approver can turn it back on with "restore".',
    `Step 2, after ${plan.graceDays} days: remove ${holds.permissions.length} permission grant(s), ${holds.passwords} client secret(s) and ${holds.certificates} certificate(s), then delete the app registration (restorable from deleted items for ${DELETED_ITEMS_DAYS} days).`,
    '',
    row(['permission', 'type', 'risk']),
    row(['-'.repeat(widths[0]), '-'.repeat(widths[1]), '----']),
    ...holds.permissions.map((p) => row([p.name, p.type, p.risk])),
    '',
    'Nothing was changed: this only plans. To offboard it, type "offboard ' + plan.displayName + '" to Onboard in Teams; the approvers decide.',
    `Plan hash: ${plan.planHash}`,
  ].join('\n') + '\n';
}

export const offboardCommand: CliCommand = {
  name: 'offboard',
  summary: 'Show what offboarding an app Onboard made would do (plans only; changes nothing).',
  usage: 'onboard offboard <name | appId> [--json]',
  examples: ['onboard offboard Miradore', 'onboard offboard 1b2c3d4e-0000-4000-8000-000000000000 --json'],
  async run(args, io) {
    const parsed = parseArgs(args);
    const target = parsed.positionals.join(' ').trim();
    if (!target) {
      io.stderr('Which app? Usage: onboard offboard <name | appId> [--json]\n');
      return 2;
    }
    const tenant = readTenant(io, 'offboard');
    if (!tenant) return 2;
    const { config, requests, inspect } = tenant;
    const outcome = await new PlanOffboard({ inspect, requests, graceDays: config.policy.offboardGraceDays }).execute({ target });
    const json = parsed.flags.has('json');
    if (outcome.kind === 'plan') {
      io.stdout(json ? JSON.stringify(outcome.plan, null, 2) + '\n' : text(outcome.plan));
      return 0;
    }
    if (json) io.stdout(JSON.stringify(outcome, null, 2) + '\n');
    if (outcome.kind === 'ambiguous') io.stderr(`${outcome.candidates.length} apps match "${target}":\n${outcome.candidates.map((c) => `  ${c.appId}  ${c.displayName}`).join('\n')}\nRun again with the Application (client) ID.\n`);
    else io.stderr(`${outcome.message.replace(/\*\*/g, '')}\n`);
    return 2;
  },
};
