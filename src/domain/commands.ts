import { recipes } from './catalog/recipes';
import type { Recipe } from './catalog/recipeSchema';
import { permissionCatalog, type PermissionType } from './catalog/permissions';
import { closest } from './text';
import { GUID, MAX_REQUEST_TEXT, PERMISSION_PATTERN, REQUEST_ID, isWord, looksLikePermission, matchPhrase, modeAt, tokenize, type Tokens } from './commandWords';
import { askIfIncomplete, readOnboard, type NeedsChoice, type OnboardCommand, type Unsupported } from './onboardCommand';
import { parseCustom, type CustomCommand } from './customCommand';
import { offboardVerbs, readOffboard, restoreVerbs, undoAnswer, verbNotFirst, type OffboardCommand } from './offboardCommand';

export type { OnboardCommand, NeedsChoice, Unsupported, FeatureChoice } from './onboardCommand';
export type { PermissionRequest, CustomCommand } from './customCommand';
export type { OffboardCommand } from './offboardCommand';

export type Command =
  | { kind: 'help' }
  | { kind: 'vendors' }
  | OnboardCommand
  | CustomCommand
  /** "offboard Miradore": disable at once, remove after the grace period, through approval (docs/offboarding.md). */
  | OffboardCommand
  | { kind: 'check'; target: string }
  | { kind: 'does-have'; target: string; permission: string; type?: PermissionType }
  | { kind: 'which-apps'; permission: string; type?: PermissionType }
  | { kind: 'status'; requestId?: string }
  | { kind: 'pending' }
  | { kind: 'rotate'; target: string }
  /** The secret may be exposed: remove it now and rotate (docs/secrets.md › Revoke now). */
  | { kind: 'revoke'; target: string }
  | { kind: 'audit'; requestId?: string }
  | { kind: 'set-approvals-channel' }
  | { kind: 'secrets-expiring'; days: number }
  /** Approvers: the periodic reviews due and overdue (docs/review.md). */
  | { kind: 'reviews' };

export interface Unknown {
  kind: 'unknown';
  text: string;
  reason: string;
  suggestions: string[];
  /** Answer with the reason itself (a question, a refusal), not with the help card. */
  answer?: boolean;
}

export type ParseResult = Command | NeedsChoice | Unsupported | Unknown;

/** The command words, one example each: the help card lists them, and "did you mean" measures against them. */
export const commandWords: readonly { word: string; summary: string; example: string }[] = [
  { word: 'onboard', summary: 'Plan a vendor integration and send it for approval.', example: 'onboard cirrus connect mail delegated for contoso.cirrus.example' },
  { word: 'custom', summary: 'Plan an app with the Graph permissions you name.', example: 'onboard custom "HR Portal" with User.Read.All application' },
  // "does" shares check's topic: Teams lists at most 12 commands per scope, and offboarding needed a line.
  { word: 'check', summary: 'What an app may do, and its drift from the vendor recipe; "does Miradore have Group.Read.All" asks about one permission.', example: 'check Miradore' },
  { word: 'which', summary: 'Which apps hold a permission.', example: 'which apps have Mail.Send application' },
  { word: 'vendors', summary: 'The vendors Onboard knows.', example: 'vendors' },
  // One topic for both words: Teams lists at most 12 commands per scope, and for an approver status shows what is pending.
  { word: 'status', summary: 'Your requests, or one request; approvers also see what waits for them (or type "pending", and "reviews" for apps due for review).', example: 'status' },
  { word: 'rotate', summary: 'Issue a new client secret through approval; "revoke secret for …" removes an exposed one at once.', example: 'rotate secret for Miradore' },
  { word: 'offboard', summary: 'Take an app Onboard made out of use through approval: sign-in off at once, removed after the grace period; approvers can "restore" it.', example: 'offboard Miradore' },
  { word: 'audit', summary: 'The audit trail of a request.', example: 'audit REQ-7K2M9QXA' },
  { word: 'secrets', summary: 'Secrets of Onboard-made apps that expire soon.', example: 'secrets expiring in 30 days' },
  { word: 'set', summary: 'Send approval cards to this channel.', example: 'set approvals channel' },
  { word: 'help', summary: 'This list.', example: 'help' },
];

const onboardVerbs = ['onboard', 'register', 'set up', 'setup', 'provision', 'integrate', 'add', 'create', 'configure', 'install'];
const checkVerbs = ['check', 'inspect', 'describe', 'examine', 'lookup', 'look up', 'review'];
const rotateVerbs = ['rotate', 'renew', 'regenerate', 'roll', 'reset', 'refresh', 'cycle', 'replace'];
const secretWords = ['secret', 'secrets', 'credential', 'credentials', 'password', 'passwords'];
const haveWords = ['have', 'has', 'hold', 'holds', 'got', 'own', 'owns', 'use', 'uses', 'with', 'having', 'granted'];
const leadFillers = new Set(['please', 'pls', 'plz', 'hey', 'hi', 'hello', 'ok', 'okay', 'kindly', 'can', 'could', 'would', 'will', 'you', 'i', 'we', 'want', 'to', 'need', 'like', 'lets', 'just', 'now']);
const everyWord = [...onboardVerbs, ...checkVerbs, ...rotateVerbs, ...offboardVerbs, ...restoreVerbs, 'does', 'which', 'vendors', 'revoke', 'status', 'pending', 'audit', 'help', 'secrets', 'custom'];
/**
 * Verbs that undo what Onboard does but are not offboarding (their words promise something else: "purge" is not
 * restorable, "disable" is only step 1): never read as onboarding, however close they look; answered honestly.
 */
const undoVerbs = ['uninstall', 'revoke', 'disable', 'destroy', 'drop', 'erase', 'purge', 'disconnect', 'unlink', 'kill'];
/** Verbs that change the tenant: matched exactly; a near miss is asked about, never corrected silently. */
const tenantVerbs = ['onboard', 'register', 'provision', 'integrate', 'configure', 'install', 'rotate', 'regenerate', 'renew', ...offboardVerbs, ...restoreVerbs, ...undoVerbs];

/** Free text → a typed command. Pure and total: it never throws, whatever it is given. */
export function parseCommand(text: string): ParseResult {
  try {
    return parse(String(text ?? ''));
  } catch {
    return { kind: 'unknown', text: String(text).slice(0, 200), reason: 'I could not read that.', suggestions: ['help'] };
  }
}

function parse(text: string): ParseResult {
  // Reading only the start of a long message would silently drop what its end asked for (say, permissions 39 and 40).
  const length = text.replace(/<at>[^<]{0,100}<\/at>/gi, ' ').trim().length;
  if (length > MAX_REQUEST_TEXT) {
    return { kind: 'unknown', text: text.slice(0, 200), reason: `That message is ${length.toLocaleString('en-US')} characters long; I read requests of up to ${MAX_REQUEST_TEXT.toLocaleString('en-US')} whole, and would rather not read part of one. Shorten it, or split it into two requests.`, suggestions: [] };
  }
  const tokens = tokenize(text);
  const all = tokens.all;
  const phrase = all.join(' ');
  if (all.length === 0 || /^(\?+|commands|usage|what can you do|what do you do|how does (this|it) work|how do i use (this|you|it|onboard))$/.test(phrase)) return { kind: 'help' };
  let lead = all.findIndex((t) => !leadFillers.has(t));
  if (lead < 0) return { kind: 'help' };
  // "@Onboard status": the bot's own name in front of another command is only a mention.
  if (all[lead] === 'onboard' && lead + 1 < all.length && everyWord.some((v) => v !== 'custom' && !onboardVerbs.includes(v) && isWord(all[lead + 1], v))) lead++;
  const first = all[lead];
  const has = (...targets: string[]) => all.some((t) => isWord(t, ...targets));
  const requestId = tokens.raw.find((t) => REQUEST_ID.test(t))?.toUpperCase();

  // Only the word itself: a near miss ("hlep") gets the help card with "did you mean help", so people learn the word.
  if (first === 'help' && all.length - lead <= 3) return { kind: 'help' };
  // "revoke secret for X" removes an exposed secret at once (after a confirmation card); "revoke X" alone is an undo verb.
  if ((has('revoke') && has(...secretWords)) || (first === 'revoke' && all.length - lead === 1)) return secretVerb('revoke', text, tokens, lead);
  if (/^(due |overdue )?reviews( due| overdue)?$/.test(all.slice(lead).join(' '))) return { kind: 'reviews' };
  const twoWordVerb = (first === 'off' && all[lead + 1] === 'board') || (first === 're' && all[lead + 1] === 'enable');
  if (offboardVerbs.includes(first) || restoreVerbs.includes(first) || twoWordVerb) {
    const read = readOffboard(restoreVerbs.includes(first) || first === 're' ? 'restore' : 'offboard', tokens, lead, twoWordVerb ? 2 : 1);
    return 'kind' in read ? read : answer(text, read);
  }
  if (undoVerbs.includes(first)) return answer(text, undoAnswer(tokens, first, lead, findVendors(tokens.words, 0)?.recipes[0]?.name));
  const lateVerb = all.findIndex((t, i) => i > lead && (offboardVerbs.includes(t) || restoreVerbs.includes(t)));
  if (lateVerb > 0 && !all.some((t) => onboardVerbs.includes(t))) return answer(tokens.raw.join(' '), verbNotFirst(tokens, lead, lateVerb));
  const misspelt = misspeltVerb(first, tokens);
  if (misspelt) return misspelt;
  if (has('approvals', 'approval', 'approvers', 'approver') && has('channel')) return { kind: 'set-approvals-channel' };
  if (all.some((t) => t.startsWith('expir')) && (has(...secretWords) || lead === all.findIndex((t) => t.startsWith('expir')))) return { kind: 'secrets-expiring', days: daysIn(all) };
  if (rotateVerbs.includes(first) || (all.some((t) => rotateVerbs.includes(t)) && has(...secretWords)) || /\bnew (client )?secret (for|on|of)\b/.test(phrase)) return rotate(text, tokens, lead);
  if (isWord(first, 'audit') || (all.includes('audit') && (requestId || all.includes('trail') || all.includes('log')))) return { kind: 'audit', requestId };
  if ((isWord(first, 'pending') && !requestId) || /^(what|whats|anything|requests?)( is| are)? (pending|waiting)( for me)?$|^(my )?(inbox|approvals?)$|^waiting for me$/.test(all.slice(lead).join(' '))) return { kind: 'pending' };
  if (isWord(first, 'status') || /\b(status|my requests?|pending requests?|open requests?)\b/.test(phrase)) return { kind: 'status', requestId };
  if (isWord(first, 'vendors') || ((has('vendors', 'vendor') || /\b(integrations|recipes) (do|can|are)\b/.test(phrase)) && !findVendors(tokens.words, 0))) return { kind: 'vendors' };

  const question = ['which', 'what', 'list', 'show', 'find', 'who', 'any', 'get'].includes(first);
  const appsWord = (t: string | undefined) => isWord(t, 'apps', 'applications', 'registrations') || t === 'app';
  if ((question && (appsWord(all[lead + 1]) || (['all', 'the', 'me'].includes(all[lead + 1]) && appsWord(all[lead + 2])))) || /^(who (has|holds|uses)|apps? (with|having|holding|that have))\b/.test(all.slice(lead).join(' '))) {
    return whichApps(text, tokens, lead);
  }
  if (['does', 'do', 'has', 'did'].includes(first)) return doesHave(text, tokens, lead);
  const check = checkTarget(tokens, lead);
  if (check) return check;
  return parseRequest(text, tokens, lead);
}

function parseRequest(text: string, tokens: Tokens, lead: number): ParseResult {
  const w = tokens.words;
  const verbAt = w.findIndex((x, i) => i < 3 && matchPhrase(w, i, onboardVerbs, true));
  const verb = verbAt >= 0 ? matchPhrase(w, verbAt, onboardVerbs, true) : undefined;
  const start = verb ? verbAt + verb.length : 0;
  if (isWord(w[start], 'custom') || isWord(w[0], 'custom') || (verb && isWord(w[start + 1], 'custom'))) {
    const custom = parseCustom(tokens);
    return 'kind' in custom ? custom : unknown(text, custom.reason, custom.suggestions);
  }
  const found = findVendors(w, 0);
  if (found) {
    const span: [number, number] = [found.index, found.index + found.length];
    const readings = found.recipes.map((recipe) => ({ recipe, ...readOnboard(recipe, tokens, span) }));
    const best = Math.max(...readings.map((r) => r.evidence));
    const top = readings.filter((r) => r.evidence === best);
    if (top.length === 1) return top[0].unsupported ?? askIfIncomplete(top[0].recipe, top[0].command);
    return askIfIncomplete(top[0].recipe, { ...top[0].command, alternatives: top.map((r) => r.command) });
  }
  if (verb) {
    const typed = tokens.all.slice(lead).filter((x) => !matchPhrase([x], 0, onboardVerbs, true) && !['for', 'the', 'a', 'an', 'up', 'new', 'app'].includes(x)).join(' ');
    const names = recipes().flatMap((r) => [r.name.toLowerCase(), ...r.aliases]);
    const near = typed ? closest(typed, names, 4, 3).map((n) => recipes().find((r) => r.name.toLowerCase() === n || r.aliases.includes(n))!.name) : recipes().map((r) => r.name);
    // Chat and the CLI suggest the same next step: the vendors Onboard knows that look alike, else a custom app by that name.
    const custom = `onboard custom "${typed ? titleCase(typed).slice(0, 40) : 'App name'}" with User.Read delegated`;
    const suggestions = [...new Set(near)].map((n) => `onboard ${n}`).concat(typed && !near.length ? [custom] : [], 'vendors');
    return { ...unknown(text, typed ? `I don't know the vendor "${typed}".` : 'Which vendor?', suggestions), answer: true };
  }
  const first = tokens.all[lead];
  const near = closest(first, everyWord, 2, 1);
  const permission = tokens.raw.find(looksLikePermission);
  return unknown(text, 'I did not understand that.', near.length ? near : permission ? [`which apps have ${permission}`] : []);
}

/** Vendors named anywhere, typos allowed on longer names. Several when one name fits more than one ("cirrus"). */
function findVendors(words: string[], from: number): { recipes: Recipe[]; index: number; length: number } | undefined {
  for (let i = from; i < words.length; i++) {
    let best: { recipes: Recipe[]; index: number; length: number } | undefined;
    for (const recipe of recipes()) {
      const m = matchPhrase(words, i, [recipe.name.toLowerCase(), ...recipe.aliases]);
      if (!m) continue;
      if (!best || m.length > best.length) best = { recipes: [recipe], index: i, length: m.length };
      else if (m.length === best.length) best.recipes.push(recipe);
    }
    if (best) return best;
  }
  return undefined;
}

/** A first word one typo away from a verb that changes the tenant: asked back as a question, with the corrected request. */
function misspeltVerb(first: string, tokens: Tokens): Unknown | undefined {
  if (!first || tenantVerbs.includes(first) || everyWord.includes(first) || leadFillers.has(first) || modeAt([first], 0) || findVendors([first], 0)) return undefined;
  const verb = closest(first, tenantVerbs, first.length <= 6 ? 1 : 2, 1)[0];
  if (!verb) return undefined;
  const at = tokens.raw.findIndex((t) => t.toLowerCase() === first);
  const corrected = [...tokens.raw.slice(0, at), verb, ...tokens.raw.slice(at + 1)].join(' ').slice(0, 200);
  const reason = undoVerbs.includes(verb) ? `Did you mean "${verb}"? Onboard cannot do that directly, and nothing was changed.` : `Did you mean **${corrected}**? I only act on "${verb}" spelled out, because it changes your tenant.`;
  return { ...unknown(tokens.raw.join(' '), reason, undoVerbs.includes(verb) ? ['help'] : [corrected]), answer: true };
}

function rotate(text: string, tokens: Tokens, lead: number): ParseResult {
  return secretVerb('rotate', text, tokens, lead);
}

function secretVerb(kind: 'rotate' | 'revoke', text: string, tokens: Tokens, lead: number): ParseResult {
  const skip = new Set(['the', 'a', 'an', 'its', 'client', 'app', 'application', 'registration', 'for', 'of', 'on', 'new', 'please', 'now', 'key', ...secretWords]);
  const verbs = kind === 'rotate' ? rotateVerbs : ['revoke'];
  const target = tokens.quoted[0] ?? tokens.raw.slice(lead).filter((t, i) => !(i === 0 || skip.has(t.toLowerCase()) || isWord(t.toLowerCase(), ...verbs))).join(' ');
  return target ? { kind, target } : unknown(text, `Which app? For example: ${kind} secret for Miradore`, [`${kind} secret for Miradore`]);
}

/** The permission a question is about: the word after "have"/"with", or the first that looks like one. */
function permissionIn(tokens: Tokens, from: number): { token: string; at: number } | undefined {
  const verb = tokens.all.findIndex((t, i) => i > from && haveWords.includes(t));
  for (let i = verb > 0 ? verb + 1 : from; i < tokens.raw.length; i++) {
    if (PERMISSION_PATTERN.test(tokens.raw[i]) && !/^https?:/i.test(tokens.raw[i])) return { token: tokens.raw[i], at: i };
  }
  const at = tokens.raw.findIndex(looksLikePermission);
  return at >= 0 ? { token: tokens.raw[at], at } : undefined;
}

/** The catalogue's spelling; a near miss of a Graph name is refused with suggestions, anything else is taken as typed (an app may hold other APIs' scopes). */
function knownPermission(text: string, token: string): string | Unknown {
  const found = permissionCatalog.find(token, 'Application') ?? permissionCatalog.find(token, 'Delegated');
  if (found) return found.name;
  const near = closest(token, permissionCatalog.all().map((p) => p.name), 2, 3);
  return near.length ? unknown(text, `"${token}" is not a Microsoft Graph permission. Did you mean ${[...new Set(near)].join(', ')}?`, [...new Set(near)]) : token;
}

function typeIn(tokens: Tokens, from: number): PermissionType | undefined {
  for (let i = from; i < tokens.all.length; i++) {
    const mode = modeAt(tokens.all, i);
    if (mode) return mode.mode === 'application' ? 'Application' : 'Delegated';
  }
  return undefined;
}

function whichApps(text: string, tokens: Tokens, lead: number): ParseResult {
  const example = 'which apps have Mail.Send application';
  const p = permissionIn(tokens, lead);
  if (!p) return unknown(text, `Which permission? For example: ${example}`, [example]);
  const permission = knownPermission(text, p.token);
  if (typeof permission !== 'string') return permission;
  const type = typeIn(tokens, p.at + 1);
  return type ? { kind: 'which-apps', permission, type } : { kind: 'which-apps', permission };
}

function doesHave(text: string, tokens: Tokens, lead: number): ParseResult {
  const verb = tokens.all.findIndex((t, i) => i > lead + 1 && haveWords.includes(t));
  const p = verb > 0 ? permissionIn(tokens, lead) : undefined;
  const target = tokens.quoted[0] ?? appName(tokens.raw.slice(lead + 1, verb > 0 ? verb : undefined));
  if (!p) return target ? { kind: 'check', target } : unknown(text, 'Which app, and which permission? For example: does Miradore have Group.Read.All', ['does Miradore have Group.Read.All']);
  const permission = knownPermission(text, p.token);
  if (typeof permission !== 'string') return permission;
  const type = typeIn(tokens, p.at + 1);
  return { kind: 'does-have', target, permission, ...(type ? { type } : {}) };
}

/** check X · inspect X · what permissions does X have · what can X do · permissions of X. */
function checkTarget(tokens: Tokens, lead: number): ParseResult | undefined {
  const all = tokens.all;
  const rest = all.slice(lead).join(' ');
  const verb = matchPhrase(all, lead, checkVerbs);
  let from: number | undefined;
  let to: number | undefined;
  if (verb) from = lead + verb.length;
  else if (/^what (permissions?|access|roles?|scopes?) (does|do|has) /.test(rest)) {
    from = lead + 3;
    to = all.findIndex((t, i) => i > from! && ['have', 'got', 'hold'].includes(t));
  } else if (/^what (can|does) .+ (do|have|access)$/.test(rest)) {
    from = lead + 2;
    to = all.length - 1;
  } else if (/^(what is|whats) .+ allowed to do$/.test(rest)) {
    from = lead + (all[lead] === 'whats' ? 1 : 2);
    to = all.length - 3;
  } else if (/^(show|list|get)( me)? (the )?(permissions?|access) (of|for) /.test(rest) || /^(permissions?|access) (of|for) /.test(rest)) {
    from = all.findIndex((t, i) => i >= lead && (t === 'of' || t === 'for')) + 1;
  } else if (['show', 'describe', 'display'].includes(all[lead]) && findVendors(tokens.words, 0)) from = lead + 1;
  if (from === undefined) return undefined;
  const span = tokens.raw.slice(from, to !== undefined && to >= 0 ? to : undefined);
  const p = permissionIn({ ...tokens, raw: span, all: span.map((t) => t.toLowerCase()) }, -1);
  const target = tokens.quoted[0] ?? appName(p ? span.slice(0, span.indexOf(p.token)) : span);
  const text = tokens.raw.join(' ');
  if (!target) return unknown(text, 'Check which app? For example: check Miradore', ['check Miradore']);
  if (p) {
    const permission = knownPermission(text, p.token);
    return typeof permission === 'string' ? { kind: 'does-have', target, permission } : permission;
  }
  return { kind: 'check', target };
}

/** The app a question names, without the words around it ("the app", "whether … has"). */
function appName(words: string[]): string {
  const noise = /^(the|app|application|registration|whether|if|for|of|please|permissions?|me|does|do|has|have|a|an|its)$/i;
  const guid = words.find((t) => GUID.test(t));
  if (guid) return guid;
  let start = 0;
  let end = words.length;
  while (start < end && noise.test(words[start])) start++;
  while (end > start && noise.test(words[end - 1])) end--;
  return words.slice(start, end).join(' ').slice(0, 120);
}

function daysIn(all: string[]): number {
  for (let i = 0; i < all.length; i++) {
    const n = /^\d{1,4}$/.test(all[i]) ? Number(all[i]) : ['a', 'one'].includes(all[i]) ? 1 : undefined;
    const unit = /^(\d{1,4})(d|days?|w|weeks?)$/.exec(all[i]);
    if (unit) return Number(unit[1]) * (unit[2].startsWith('w') ? 7 : 1);
    if (n === undefined) continue;
    const next = all[i + 1] ?? '';
    if (/^weeks?$/.test(next)) return n * 7;
    if (/^months?$/.test(next)) return n * 30;
    if (/^days?$/.test(next) || /^\d/.test(all[i])) return n;
  }
  if (all.includes('week')) return 7;
  if (all.includes('month')) return 30;
  return 30;
}

function titleCase(text: string): string {
  return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** Said as it is (a question back, or an honest refusal), not with the help card. */
function answer(text: string, problem: { reason: string; suggestions: string[] }): Unknown {
  return { ...unknown(text, problem.reason, problem.suggestions), answer: true };
}

function unknown(text: string, reason: string, suggestions: string[]): Unknown {
  return { kind: 'unknown', text: text.slice(0, 200), reason, suggestions };
}
