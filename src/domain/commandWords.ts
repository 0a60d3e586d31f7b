import { editDistance } from './text';
import { permissionCatalog } from './catalog/permissions';

/** The vocabulary of the command language, and the small text tools the parsers share. */

export const fillerWords = new Set([
  'please', 'pls', 'plz', 'kindly', 'hey', 'hi', 'hello', 'ok', 'okay', 'the', 'a', 'an', 'us', 'me', 'our', 'we', 'i', 'my', 'can', 'could', 'would', 'will', 'you',
  'want', 'wants', 'need', 'needs', 'like', 'to', 'do', 'it', 'integration', 'registration', 'in', 'entra', 'tenant', 'thanks', 'thank', 'now', 'just', 'also', 'and', 'plus',
  'quickly', 'today', 'lets', 'go', 'ahead',
]);

/**
 * Words that name a mode. A bare "app" is not one: "register the app for Cirrus" says nothing about
 * permissions, so only "app only" / "app permissions" count (see modeAt).
 */
export const modeWords: Record<string, 'application' | 'delegated'> = {
  application: 'application', 'app-only': 'application', apponly: 'application', daemon: 'application', applications: 'application', unattended: 'application',
  delegated: 'delegated', delegate: 'delegated', 'on-behalf': 'delegated', 'signed-in': 'delegated', deleg: 'delegated', delegation: 'delegated',
};
const appQualifiers = new Set(['only', 'permission', 'permissions', 'perms', 'mode', 'role', 'roles', 'level']);

export const PERMISSION_PATTERN = /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+$/;
const HOSTNAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/;
export const REQUEST_ID = /^req-[a-z0-9]{4,16}$/i;
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;
const NEGATIONS = ['without', 'no', 'not', 'except', 'excluding', 'minus', 'skip'];

/** A permission is one the catalogue knows in any case, or looks like one (User.Read.All: a capital after a dot). */
export function looksLikePermission(token: string): boolean {
  return PERMISSION_PATTERN.test(token) && (permissionCatalog.exists(token) || /\.[A-Z]/.test(token));
}

/** The mode a word names, forgiving typos in the long words ("delgated"). */
export function modeOf(word: string): 'application' | 'delegated' | undefined {
  if (modeWords[word]) return modeWords[word];
  if (word.length < 6) return undefined;
  return editDistance(word, 'delegated', 2) <= 2 ? 'delegated' : editDistance(word, 'application', 2) <= 2 ? 'application' : undefined;
}

/** The mode named at `words[i]`, and how many words name it ("app only" is two). */
export function modeAt(words: readonly string[], i: number): { mode: 'application' | 'delegated'; length: number } | undefined {
  if (words[i] === 'app' && appQualifiers.has(words[i + 1] ?? '')) return { mode: 'application', length: 2 };
  const mode = modeOf(words[i]);
  return mode && { mode, length: 1 };
}

/** "without", "no", … and their near misses ("withot"). */
export function isNegation(word: string): boolean {
  return NEGATIONS.includes(word) || (word.length >= 6 && editDistance(word, 'without', 1) <= 1);
}

/** People type host names in any case ("Contoso.Cirrus.Example"); a Graph permission name is never one. */
export function looksLikeHostname(token: string): boolean {
  return HOSTNAME.test(token.toLowerCase()) && !permissionCatalog.exists(token);
}

export interface Tokens {
  /** Lowercased words with punctuation trimmed, filler removed. */
  words: string[];
  /** The original tokens, case kept, for permission names and inputs. */
  raw: string[];
  /** `raw`, lowercased, filler kept: for the patterns where little words matter ("what can you do"). */
  all: string[];
  quoted: string[];
  keyValues: Record<string, string>;
}

/** The longest request read; a longer one is refused whole (commands.ts), never read in part. */
export const MAX_REQUEST_TEXT = 2_000;

/** Splits free text: quoted phrases and key=value pairs come out whole; everything else is words. */
export function tokenize(text: string): Tokens {
  const quoted: string[] = [];
  const keyValues: Record<string, string> = {};
  // Bounded so that any input, however long, is read in well under a millisecond per kilobyte.
  let rest = text.slice(0, MAX_REQUEST_TEXT).replace(/<at>[^<]{0,100}<\/at>/gi, ' ').replace(/[“”„]/g, '"').replace(/[‘’]/g, "'").replace(/[–—]/g, ' ');
  rest = rest.replace(/([A-Za-z][\w-]{0,40})\s*=\s*("([^"]*)"|'([^']*)'|(\S+))/g, (_m, key: string, _v, dq?: string, sq?: string, bare?: string) => {
    keyValues[key] = (dq ?? sq ?? bare ?? '').trim();
    return ' ';
  });
  rest = rest.replace(/"([^"]{1,120})"|(?<![A-Za-z])'([^']{1,120})'(?![A-Za-z])/g, (_m, dq?: string, sq?: string) => {
    quoted.push((dq ?? sq ?? '').trim());
    return ' ';
  });
  const raw = rest
    .split(/[\s,;]+/)
    // "free/busy" is two words; a URL keeps its slashes.
    .flatMap((t) => (t.includes('://') ? [t] : t.split('/')))
    .map((t) => t.replace(/^[([{<@]+|[)\]}>!?:.]+$/g, ''))
    .filter(Boolean);
  const all = raw.map((t) => t.toLowerCase().replace(/'/g, ''));
  const words = all.filter((w) => !fillerWords.has(w));
  return { words, raw, all, quoted, keyValues };
}

/** How far a typed word may be from a known name: exact for short words, looser for long ones. */
export function tolerance(name: string): number {
  return name.length <= 3 ? 0 : name.length <= 6 ? 1 : 2;
}

/** Whether `word` is `target` give or take a typo. */
export function isWord(word: string | undefined, ...targets: string[]): boolean {
  if (!word) return false;
  return targets.some((t) => word === t || (tolerance(t) > 0 && editDistance(word, t, tolerance(t)) <= tolerance(t)));
}

/** The best match of `phrases` (multi-word allowed) starting at `words[i]`, longest first; `exact` allows no typo (verbs that change the tenant). */
export function matchPhrase(words: string[], i: number, phrases: readonly string[], exact = false): { phrase: string; length: number } | undefined {
  let best: { phrase: string; length: number; distance: number } | undefined;
  for (const phrase of phrases) {
    const parts = phrase.split(' ');
    if (i + parts.length > words.length) continue;
    const typed = words.slice(i, i + parts.length).join(' ');
    const allowed = exact ? 0 : tolerance(phrase);
    const distance = typed === phrase ? 0 : editDistance(typed, phrase, allowed);
    if (distance > allowed) continue;
    if (!best || parts.length > best.length || (parts.length === best.length && distance < best.distance)) best = { phrase, length: parts.length, distance };
  }
  return best && { phrase: best.phrase, length: best.length };
}
