import { permissionCatalog, tier0Refusal, tierOf, type PermissionType } from './catalog/permissions';
import { PERMISSION_PATTERN, isWord, modeAt, type Tokens } from './commandWords';

export interface PermissionRequest {
  name: string;
  type: PermissionType;
}

export interface CustomCommand {
  kind: 'custom';
  appName: string;
  permissions: PermissionRequest[];
  secret: boolean;
}

export interface CustomProblem {
  reason: string;
  suggestions: string[];
}

const EXAMPLE = 'onboard custom "HR Portal" with User.Read.All application';
/**
 * More than this is no vendor integration to approve at a glance, and its approval card would pass the size
 * Teams accepts for a message (about 1 KB per permission row; test/cards/cardSize.test.ts).
 */
export const MAX_CUSTOM_PERMISSIONS = 40;
const nameStops = new Set(['with', 'having', 'using', 'needing', 'that', 'and', 'plus', 'which', 'requiring']);
const nameNoise = new Set(['app', 'application', 'registration', 'called', 'named', 'for', 'an', 'a', 'the']);
// Graph's OpenID Connect scopes have no dot; any other dotless word is not taken for a permission.
const dotless = new Set(['openid', 'profile', 'offline_access']);

/** The type a word names here: the modes, plus Graph's own words for them (role, scope). */
function typeAt(lower: string[], i: number): { type: PermissionType; length: number } | undefined {
  if (/^(app-?roles?|roles?)$/.test(lower[i])) return { type: 'Application', length: 1 };
  if (/^scopes?$/.test(lower[i])) return { type: 'Delegated', length: 1 };
  const mode = modeAt(lower, i);
  return mode && { type: mode.mode === 'application' ? 'Application' : 'Delegated', length: mode.length };
}

const isPermissionToken = (token: string) => (PERMISSION_PATTERN.test(token) && !/^https?:/i.test(token)) || dotless.has(token.toLowerCase());

/**
 * `custom "HR Portal" with User.Read.All application, Mail.Send delegated`. A type word after a
 * permission belongs to it; written first ("application User.Read.All, Mail.Read and delegated
 * Mail.Send") it heads the list that follows. A permission given without a type takes the only type
 * Graph has for it; when Graph has both, the requester is asked, because guessing could grant far more.
 */
export function parseCustom(tokens: Tokens): CustomCommand | CustomProblem {
  const raw = tokens.raw;
  const lower = tokens.all;
  const customAt = lower.findIndex((t) => isWord(t, 'custom'));
  let cursor = customAt + 1;
  let appName = tokens.quoted[0] ?? tokens.keyValues.name ?? tokens.keyValues.appName;
  if (!appName) {
    while (cursor < raw.length && nameNoise.has(lower[cursor])) cursor++;
    const start = cursor;
    while (cursor < raw.length && !nameStops.has(lower[cursor]) && !isPermissionToken(raw[cursor]) && !typeAt(lower, cursor)) cursor++;
    appName = raw.slice(start, cursor).join(' ');
  }
  appName = appName.trim().slice(0, 120);
  if (!appName) return { reason: `Give the app a name, for example: ${EXAMPLE}`, suggestions: [EXAMPLE] };

  const found: { token: string; type?: PermissionType; at: number }[] = [];
  const types: { type: PermissionType; at: number }[] = [];
  for (let i = Math.max(0, cursor); i < raw.length; i++) {
    const type = typeAt(lower, i);
    if (type) {
      types.push({ type: type.type, at: i });
      i += type.length - 1;
    } else if (isPermissionToken(raw[i])) found.push({ token: raw[i], at: i });
  }
  if (!found.length) return { reason: `Name the Microsoft Graph permissions ${appName} needs, with their type, for example: User.Read.All application.`, suggestions: [EXAMPLE] };
  const header = types.length > 0 && types[0].at < found[0].at;
  for (const p of found) {
    const before = types.filter((t) => t.at < p.at).pop();
    const after = types.find((t) => t.at > p.at);
    p.type = header ? before?.type : after?.type;
  }

  const permissions: PermissionRequest[] = [];
  const problems: string[] = [];
  const suggestions: string[] = [];
  for (const p of found) {
    const asApp = permissionCatalog.find(p.token, 'Application');
    const asDelegated = permissionCatalog.find(p.token, 'Delegated');
    const wanted = p.type ? permissionCatalog.find(p.token, p.type) : undefined;
    const tier0 = [wanted, !p.type ? asApp : undefined, !p.type ? asDelegated : undefined].find((q) => q && tierOf(q).tier === 'tier0');
    if (tier0) problems.push(tier0Refusal(tier0, tierOf(tier0).reason));
    else if (wanted) permissions.push({ name: wanted.name, type: wanted.type });
    else if (!p.type && asApp && asDelegated) {
      problems.push(`${asApp.name} is both an application and a delegated permission: say which`);
      suggestions.push(`${asApp.name} delegated`, `${asApp.name} application`);
    } else if (!p.type && (asApp ?? asDelegated)) permissions.push({ name: (asApp ?? asDelegated)!.name, type: (asApp ?? asDelegated)!.type });
    else if (asApp ?? asDelegated) {
      const other = (asApp ?? asDelegated)!;
      problems.push(`${other.name} is only ${other.type === 'Application' ? 'an application' : 'a delegated'} permission in Microsoft Graph`);
      suggestions.push(`${other.name} ${other.type.toLowerCase()}`);
    } else {
      const near = permissionCatalog.suggest(p.token);
      problems.push(`"${p.token}" is not a Microsoft Graph permission${near.length ? `. Did you mean ${near.join(', ')}?` : ''}`);
      suggestions.push(...near);
    }
  }
  if (problems.length) return { reason: problems.map((p) => (/[.?]$/.test(p) ? p : `${p}.`)).join(' '), suggestions: [...new Set(suggestions)] };
  const unique = permissions.filter((p, i) => permissions.findIndex((q) => q.name === p.name && q.type === p.type) === i);
  if (unique.length > MAX_CUSTOM_PERMISSIONS) {
    return { reason: `That names ${unique.length} permissions; one custom request can name at most ${MAX_CUSTOM_PERMISSIONS}, so an approver can check each one. Ask for the ones the vendor's guide lists, or split the app into two requests.`, suggestions: [] };
  }
  const rest = lower.slice(Math.max(0, cursor)).join(' ');
  const secret = /\bsecret\b/.test(rest) && !/\b(no|without|skip|not)( an?| the| client)* secret\b/.test(rest);
  return { kind: 'custom', appName, permissions: unique, secret };
}
