import { recipes } from './catalog/recipes';
import type { Recipe } from './catalog/recipeSchema';
import { permissionCatalog, type PermissionType } from './catalog/permissions';
import { closest } from './text';
import { GUID, REQUEST_ID, looksLikePermission, matchPhrase, modeWords, tokenize, type Tokens } from './commandWords';
import { parseOnboard, type NeedsChoice, type OnboardCommand, type Unsupported } from './onboardCommand';

export type { OnboardCommand, NeedsChoice, Unsupported, FeatureChoice } from './onboardCommand';

export interface PermissionRequest {
  name: string;
  type: PermissionType;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'vendors' }
  | OnboardCommand
  | { kind: 'custom'; appName: string; permissions: PermissionRequest[]; secret: boolean }
  | { kind: 'check'; target: string }
  | { kind: 'does-have'; target: string; permission: string; type?: PermissionType }
  | { kind: 'which-apps'; permission: string; type?: PermissionType }
  | { kind: 'status'; requestId?: string }
  | { kind: 'rotate'; target: string }
  | { kind: 'audit'; requestId?: string }
  | { kind: 'set-approvals-channel' }
  | { kind: 'secrets-expiring'; days: number };

export interface Unknown {
  kind: 'unknown';
  text: string;
  reason: string;
  suggestions: string[];
}

export type ParseResult = Command | NeedsChoice | Unsupported | Unknown;

/** The command words, one example each: the help card lists them, and "did you mean" measures against them. */
export const commandWords: readonly { word: string; summary: string; example: string }[] = [
  { word: 'onboard', summary: 'Plan a vendor integration and send it for approval.', example: 'onboard cirrus connect mail delegated for contoso.cirrus.example' },
  { word: 'custom', summary: 'Plan an app with the Graph permissions you name.', example: 'onboard custom "HR Portal" with User.Read.All application' },
  { word: 'check', summary: 'What an app may do, and its drift from the vendor recipe.', example: 'check Miradore' },
  { word: 'which', summary: 'Which apps hold a permission.', example: 'which apps have Mail.Send application' },
  { word: 'vendors', summary: 'The vendors Onboard knows.', example: 'vendors' },
  { word: 'status', summary: 'Your requests, or one request.', example: 'status' },
  { word: 'rotate', summary: 'Issue a new client secret through approval.', example: 'rotate secret for Miradore' },
  { word: 'audit', summary: 'The audit trail of a request.', example: 'audit REQ-7K2M9QXA' },
  { word: 'secrets', summary: 'Secrets of Onboard-made apps that expire soon.', example: 'secrets expiring in 30 days' },
  { word: 'help', summary: 'This list.', example: 'help' },
];

const onboardVerbs = ['onboard', 'register', 'set up', 'setup', 'provision', 'integrate', 'add', 'create', 'connect'];
const checkVerbs = ['check', 'inspect', 'show', 'describe', 'examine'];
const everyWord = [...onboardVerbs, ...checkVerbs, 'does', 'which', 'vendors', 'status', 'rotate', 'audit', 'help', 'secrets', 'custom'];

/** Free text → a typed command. Pure and total: it never throws, whatever it is given. */
export function parseCommand(text: string): ParseResult {
  try {
    return parse(String(text ?? ''));
  } catch {
    return { kind: 'unknown', text: String(text).slice(0, 200), reason: 'I could not read that.', suggestions: ['help'] };
  }
}

function parse(text: string): ParseResult {
  const tokens = tokenize(text);
  const w = tokens.words;
  const joined = w.join(' ');
  if (w.length === 0 || /^(help|commands|\?|what can you do)$/.test(joined)) return { kind: 'help' };
  const requestId = tokens.raw.find((t) => REQUEST_ID.test(t))?.toUpperCase();

  if (/\bvendors?\b|\bsupported (apps|vendors)\b/.test(joined) && !/\b(onboard|register|setup|set up|provision)\b/.test(joined)) return { kind: 'vendors' };
  if (/^(set|use|make)\b.*\bapprovals? channel\b|^approvals? channel\b|\bthis channel for approvals\b/.test(joined)) return { kind: 'set-approvals-channel' };
  if (/^(status|my requests|requests)\b/.test(joined)) return { kind: 'status', requestId };
  if (/^audit\b/.test(joined)) return { kind: 'audit', requestId };
  if (/\bsecrets?\b.*\bexpir|\bexpiring secrets?\b/.test(joined)) return { kind: 'secrets-expiring', days: Number(/(\d{1,3})\s*days?/.exec(joined)?.[1] ?? 30) };
  if (/^(rotate|renew|roll|new)\b/.test(joined) && /\b(secret|secrets|password|credential)\b/.test(joined)) {
    const target = afterWord(tokens, ['for', 'of']) ?? w.filter((x) => !/^(rotate|renew|roll|new|secret|secrets|password|credential|the)$/.test(x)).join(' ');
    return target ? { kind: 'rotate', target } : unknown(text, 'Which app? For example: rotate secret for Miradore', ['rotate secret for Miradore']);
  }
  const permission = tokens.raw.find(looksLikePermission);
  const type = permissionType(w);
  if (/^(which|what) apps?\b|^who has\b|^apps with\b/.test(joined)) {
    return permission ? { kind: 'which-apps', permission: canonical(permission), type } : unknown(text, 'Which permission? For example: which apps have Mail.Send application', ['which apps have Mail.Send application']);
  }
  if (/^(does|has|can)\b/.test(joined) && permission) {
    const target = tokens.raw.slice(tokens.raw.findIndex((t) => /^(does|has|can)$/i.test(t)) + 1, tokens.raw.indexOf(permission)).filter((t) => !/^(have|got|hold|the|app)$/i.test(t)).join(' ');
    return { kind: 'does-have', target, permission: canonical(permission), type };
  }
  const checkMatch = /^what permissions? (does|do|has) (.+?) (have|got)$/.exec(joined) ?? /^what can (.+?) do$/.exec(joined);
  if (checkMatch) return { kind: 'check', target: tokens.raw.join(' ').replace(/^what permissions? (does|do|has) /i, '').replace(/^what can /i, '').replace(/ (have|got|do)$/i, '').trim() };
  if (matchPhrase(w, 0, checkVerbs)) {
    const rest = tokens.raw.slice(1).filter((t) => !/^(app|the|permissions?|for)$/i.test(t) && !/^(please)$/i.test(t));
    const guid = rest.find((t) => GUID.test(t) || /^[0-9a-f]{4,}/i.test(t));
    return rest.length ? { kind: 'check', target: guid ?? rest.join(' ') } : unknown(text, 'Check which app? For example: check Miradore', ['check Miradore']);
  }
  return parseRequest(text, tokens);
}

function parseRequest(text: string, tokens: Tokens): ParseResult {
  const w = tokens.words;
  const verb = matchPhrase(w, 0, onboardVerbs);
  const start = verb ? verb.length : 0;
  if (w[start] === 'custom' || w[0] === 'custom') return parseCustom(tokens);
  const vendor = findVendor(w, start);
  if (vendor) return parseOnboard(vendor.recipe, tokens, [vendor.index, vendor.index + vendor.length]);
  if (verb) {
    const typed = w.slice(start).join(' ');
    const names = recipes().flatMap((r) => [r.name.toLowerCase(), ...r.aliases]);
    const near = closest(typed || 'x', names, 4, 3).map((n) => recipes().find((r) => r.name.toLowerCase() === n || r.aliases.includes(n))!.name);
    return unknown(text, typed ? `I don't know the vendor "${typed}".` : 'Which vendor?', [...new Set(near)].map((n) => `onboard ${n}`).concat('vendors'));
  }
  const near = closest(w[0], everyWord, 2, 1);
  return unknown(text, 'I did not understand that.', near);
}

/** Vendors are matched anywhere after the verb, with typos allowed on longer names. */
function findVendor(words: string[], from: number): { recipe: Recipe; index: number; length: number } | undefined {
  for (let i = from; i < words.length; i++) {
    let best: { recipe: Recipe; index: number; length: number } | undefined;
    for (const recipe of recipes()) {
      const m = matchPhrase(words, i, [recipe.name.toLowerCase(), ...recipe.aliases]);
      if (m && (!best || m.length > best.length)) best = { recipe, index: i, length: m.length };
    }
    if (best) return best;
  }
  return undefined;
}

function parseCustom(tokens: Tokens): ParseResult {
  const appName = tokens.quoted[0] ?? tokens.keyValues.name;
  if (!appName) return unknown(tokens.raw.join(' '), 'Give the app a name in quotes, for example: onboard custom "HR Portal" with User.Read.All application', ['onboard custom "HR Portal" with User.Read.All application']);
  const permissions: PermissionRequest[] = [];
  const problems: string[] = [];
  const suggestions: string[] = [];
  tokens.raw.forEach((token, i) => {
    if (!/^[A-Za-z][\w-]*(\.[\w-]+)+$/.test(token) || /^https?:/i.test(token)) return;
    const next = tokens.raw[i + 1]?.toLowerCase();
    const type: PermissionType = next && modeWords[next] === 'delegated' ? 'Delegated' : 'Application';
    const found = permissionCatalog.find(token, type);
    if (found) permissions.push({ name: found.name, type });
    else {
      const other = permissionCatalog.find(token, type === 'Application' ? 'Delegated' : 'Application');
      problems.push(other ? `${other.name} has no ${type.toLowerCase()} form in Microsoft Graph` : `"${token}" is not a Microsoft Graph permission`);
      suggestions.push(...(other ? [] : permissionCatalog.suggest(token)));
    }
  });
  if (problems.length) return { kind: 'unknown', text: tokens.raw.join(' ').slice(0, 200), reason: problems.join('; ') + (suggestions.length ? `. Did you mean ${suggestions.join(', ')}?` : '.'), suggestions };
  if (!permissions.length) return unknown(tokens.raw.join(' '), 'Name at least one permission, for example User.Read.All application.', ['onboard custom "HR Portal" with User.Read.All application']);
  return { kind: 'custom', appName: appName.slice(0, 120), permissions, secret: /\bsecret\b/.test(tokens.words.join(' ')) };
}

function permissionType(words: string[]): PermissionType | undefined {
  const mode = words.map((x) => modeWords[x]).find(Boolean);
  return mode === 'application' ? 'Application' : mode === 'delegated' ? 'Delegated' : undefined;
}

/** The catalogue's spelling of a permission typed in any case. */
function canonical(name: string): string {
  return permissionCatalog.find(name, 'Application')?.name ?? permissionCatalog.find(name, 'Delegated')?.name ?? name;
}

function afterWord(tokens: Tokens, markers: string[]): string | undefined {
  const i = tokens.raw.findIndex((t) => markers.includes(t.toLowerCase()));
  const rest = i >= 0 ? tokens.raw.slice(i + 1).join(' ').trim() : '';
  return rest || undefined;
}

function unknown(text: string, reason: string, suggestions: string[]): Unknown {
  return { kind: 'unknown', text: text.slice(0, 200), reason, suggestions };
}
