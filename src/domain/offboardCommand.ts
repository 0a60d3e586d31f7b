import { GUID, REQUEST_ID, looksLikePermission, type Tokens } from './commandWords';

/**
 * "offboard Miradore", "remove the Miradore app", "restore Miradore": the app a person wants taken out of use (or
 * back), read from the words after the verb. Only whole apps: a sentence that names a part of one (a permission,
 * a secret, an owner) is answered with the command that does that, never widened into removing the whole app.
 */
export interface OffboardCommand {
  kind: 'offboard' | 'restore';
  target: string;
}

export interface OffboardProblem {
  reason: string;
  suggestions: string[];
}

/** Verbs read as offboarding: every one goes through the same approval card, which says exactly what happens. */
export const offboardVerbs = ['offboard', 'off-board', 'deboard', 'decommission', 'deprovision', 'remove', 'delete', 'retire', 'unregister', 'deregister'];
export const restoreVerbs = ['restore', 'undelete', 'reenable', 're-enable', 'reinstate', 'recover'];

/** Words that name a part of an app, not the app: removing one is another command. */
const partWords = /^(permissions?|perms|grants?|scopes?|roles?|consents?|access|secrets?|passwords?|credentials?|certificates?|certs?|keys?|owners?|users?|members?|redirects?|uris?|urls?|approvers?|approvals?|channel|me)$/;
const peopleWords = /^(owners?|users?|members?|approvers?|approvals?|channel|me)$/i;
const noise = /^(the|app|apps|application|applications|registration|app-registration|integration|vendor|enterprise|please|pls|now|today|our|my|its|this|for|from|of|in|entra|tenant|again|back|a|an)$/i;

/** The app named by `words` (quotes win): the words without the filler around them, or a GUID if one is there. */
export function appNameIn(tokens: Tokens, words: string[]): string {
  if (tokens.quoted[0]) return tokens.quoted[0].slice(0, 120);
  const guid = words.find((t) => GUID.test(t));
  if (guid) return guid;
  let start = 0;
  let end = words.length;
  while (start < end && noise.test(words[start])) start++;
  while (end > start && noise.test(words[end - 1])) end--;
  return words.slice(start, end).join(' ').slice(0, 120);
}

/** The offboard or restore command in `tokens`, whose verb (`verbLength` words) starts at `lead`. */
export function readOffboard(kind: OffboardCommand['kind'], tokens: Tokens, lead: number, verbLength: number): OffboardCommand | OffboardProblem {
  const verb = tokens.all.slice(lead, lead + verbLength).join(' ');
  const rest = tokens.raw.slice(lead + verbLength);
  const request = rest.find((t) => REQUEST_ID.test(t));
  if (request) return { reason: `${request.toUpperCase()} is a request, not an app. To withdraw a request that waits for approval, press **Cancel** on its card; type **status ${request.toUpperCase()}** to see it.`, suggestions: [`status ${request.toUpperCase()}`] };
  const part = rest.find((t) => partWords.test(t.toLowerCase()) || looksLikePermission(t));
  // The app is what follows "from"/"for"/"of" when a part is named ("remove Mail.Send from Miradore").
  const linker = rest.findIndex((t) => /^(from|for|of|on)$/i.test(t));
  const target = appNameIn(tokens, part && linker >= 0 ? rest.slice(linker + 1) : rest.filter((t) => t !== part));
  if (part && peopleWords.test(part)) {
    return { reason: `Onboard ${kind === 'offboard' ? 'offboards' : 'restores'} apps; it does not change who approves, owns or uses them, so "${verb} ${part}" changed nothing. Approvers and owners are managed in Entra ID by an admin.`, suggestions: ['help'] };
  }
  if (part) {
    const app = target || 'Miradore';
    return {
      reason: `Onboard ${kind === 'offboard' ? 'offboards' : 'restores'} whole apps, not a part of one, so "${verb} ${part}" was not read as ${kind === 'offboard' ? 'offboarding' : 'restoring'} ${target || 'an app'}. Nothing was changed. For a permission an app should not hold, type **check ${app}** and press **Fix drift**; for a secret that may be exposed, type **revoke secret for ${app}**${kind === 'offboard' ? `; to take the whole app out of use, type **offboard ${app}**` : ''}.`,
      suggestions: [`check ${app}`, ...(kind === 'offboard' ? [`offboard ${app}`] : [])],
    };
  }
  if (!target) return { reason: `Which app? For example: ${kind} Miradore (or its Application ID).`, suggestions: [`${kind} Miradore`] };
  return { kind, target };
}

/** "disable miradore", "purge miradore": an honest answer, and the command that does come close; never a plan. */
export function undoAnswer(tokens: Tokens, verb: string, lead: number, vendor: string | undefined): OffboardProblem {
  const app = appNameIn(tokens, tokens.raw.slice(lead + 1)) || vendor;
  const reason = `Onboard cannot ${verb} apps or permissions directly. Nothing was changed. To take an app Onboard made out of use, type **offboard ${app ?? 'the app'}**: after approval its sign-in is disabled at once, and it is removed after the grace period (restorable for 30 days).${app ? ` To see what ${app} holds, type **check ${app}**.` : ''}`;
  const revoke = verb === 'revoke' && app ? [`revoke secret for ${app}`] : [];
  return { reason, suggestions: app ? [...revoke, `offboard ${app}`, `check ${app}`] : ['help'] };
}

/** "miradore offboard": the verb that changes the tenant must come first; asked back, never read as onboarding Miradore. */
export function verbNotFirst(tokens: Tokens, lead: number, at: number): OffboardProblem {
  const verb = restoreVerbs.includes(tokens.all[at]) ? 'restore' : 'offboard';
  const app = appNameIn(tokens, tokens.raw.slice(at + 1)) || appNameIn(tokens, tokens.raw.slice(lead, at));
  const corrected = `${verb} ${app || 'Miradore'}`;
  return { reason: `Did you mean **${corrected}**? I only act on "${verb}" at the start of a request, because it changes your tenant.`, suggestions: [corrected] };
}
