import { randomUUID } from 'node:crypto';
import type { CliCommand } from '../command';
import { parseArgs } from '../command';
import { createDomainPlanner } from '../../app/requests/domainPlanner';
import type { RegistrationPlan } from '../../domain/plan';

/** The JSON contract of `plan --json`: what other tools may rely on. */
export function planJson(plan: RegistrationPlan) {
  return {
    vendor: plan.vendor, displayName: plan.displayName, features: plan.features, reading: plan.reading, notices: plan.notices,
    permissions: plan.permissions.map(({ resourceAppId, resource, name, type, id, adminConsentRequired, risk }) => ({ resourceAppId, resource, name, type, id, adminConsentRequired, risk })),
    application: plan.application, afterCreate: plan.afterCreate, grants: plan.grants, secret: plan.secret, missingInputs: plan.missingInputs, followUps: plan.followUps, planHash: plan.planHash,
  };
}

function table(plan: RegistrationPlan): string {
  const rows = plan.permissions.map((p) => [p.name, p.type, p.adminConsentRequired ? 'yes' : 'no', p.risk, p.adminDisplayName]);
  const head = ['permission', 'type', 'admin consent', 'risk', 'what it allows'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [`${plan.displayName}  (${plan.vendor}; risk ${plan.risk})`, plan.reading, ...plan.notices.map((n) => `Notice: ${n}`), ...plan.features.map((f) => `  ${f}`), '', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  const web = (plan.application.web as { redirectUris: string[] }).redirectUris;
  if (web.length) out.push(`Web redirect URIs: ${web.join(', ')}`);
  out.push(plan.secret.issue ? `Client secret: issued, valid ${plan.secret.lifetimeDays} days` : 'Client secret: none');
  for (const m of plan.missingInputs) out.push(`Missing input: ${m.label}${m.problem ? ` (${m.problem})` : ''}. Add --input ${m.name}=${m.example}`);
  for (const f of plan.followUps) out.push(`Follow-up: ${f}`);
  out.push(`Plan hash: ${plan.planHash}`);
  return out.join('\n') + '\n';
}

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'Show the exact app registration a request would create.',
  usage: 'onboard plan "<request>" [--input key=value ...] [--json]',
  examples: ['onboard plan "cirrus connect mail delegated" --input domain=contoso.cirrus.example', 'onboard plan "miradore without group filtering" --json'],
  async run(args, io) {
    const parsed = parseArgs(args, { repeatable: ['input'] });
    const text = parsed.positionals.join(' ').trim();
    if (!text) {
      io.stderr('Say what to plan, for example: onboard plan "miradore"\n');
      return 2;
    }
    const inputs: Record<string, string> = {};
    for (const pair of parsed.repeated.get('input') ?? []) {
      const eq = pair.indexOf('=');
      if (eq < 1) {
        io.stderr(`--input takes key=value (got "${pair}").\n`);
        return 2;
      }
      inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const outcome = createDomainPlanner({ secretLifetimeDays: 180, maxSecretLifetimeDays: 730 })(/^(onboard|register|set up|setup|provision)\b/i.test(text) ? text : `onboard ${text}`, inputs, {}, randomUUID());
    if (outcome.kind === 'problem') {
      io.stderr(`${outcome.message}${outcome.suggestions.length ? ` Try: ${outcome.suggestions.join(' | ')}` : ''}\n`);
      return 2;
    }
    if (outcome.kind === 'needs-choice') {
      io.stderr(`${outcome.question} Options: ${outcome.options.map((o) => o.value).join(', ')}. Add the one you mean to the request.\n`);
      return 2;
    }
    io.stdout(parsed.flags.has('json') ? JSON.stringify(planJson(outcome.plan), null, 2) + '\n' : table(outcome.plan));
    return 0;
  },
};
