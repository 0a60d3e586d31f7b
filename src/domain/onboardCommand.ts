import type { Recipe, Mode } from './catalog/recipeSchema';
import { isNegation, looksLikeHostname, matchPhrase, modeAt, type Tokens } from './commandWords';
import { modesForFeatures, shortName } from './featureModes';

export { askIfIncomplete, applyChoices } from './onboardQuestions';

export interface FeatureChoice {
  id: string;
  mode?: Mode;
  options: string[];
  /** Options the requester turned down ("without on-prem sync", or "no" to the question): never asked again. */
  declined?: string[];
  /** Both types were named for this feature ("mail delegated and application"): the card asks which one. */
  bothModes?: boolean;
}

export interface OnboardCommand {
  kind: 'onboard';
  vendor: string;
  features: FeatureChoice[];
  inputs: Record<string, string>;
  appName?: string;
  /**
   * Set when the vendor name fits several recipes equally well ("cirrus"): the same request read
   * against each. The `vendor` answer picks one (applyChoices); until then the preview asks.
   */
  alternatives?: OnboardCommand[];
  /** Words of the request that named nothing this recipe knows; the features question quotes them. */
  unrecognised?: string[];
  /**
   * Everything Onboard read differently from how it was typed, or could not use, in words the card shows
   * as they are: a type that does not apply, an option left out, words ignored. Never empty when that happened.
   */
  notices?: string[];
}

export interface NeedsChoice {
  kind: 'needs-choice';
  command: OnboardCommand;
  field: string;
  question: string;
  multiple: boolean;
  options: { value: string; label: string }[];
}

export interface Unsupported {
  kind: 'unsupported';
  vendor: string;
  feature: string;
  reason: string;
  /** Requests that would work instead. */
  suggestions: string[];
}

/** One reading of a request against one recipe, before any question is asked. */
export interface OnboardReading {
  command: OnboardCommand;
  unsupported?: Unsupported;
  /** How many words this recipe explained (features, options, modes it offers): picks between vendors sharing a name. */
  evidence: number;
}

const ALL = ['all', 'everything', 'all of it'];
// Words that carry no meaning in a vendor request; anything else left over is reported as not recognised.
const ignorable = new Set([
  'for', 'with', 'using', 'via', 'of', 'on', 'app', 'apps', 'new', 'only', 'permission', 'permissions', 'perms', 'mode', 'feature', 'features', 'function', 'functions', 'both',
  'set', 'up', 'setup', 'onboard', 'register', 'provision', 'integrate', 'add', 'create', 'connect', 'configure', 'enable', 'install', 'vendor', 'is', 'are', 'that', 'this',
  'sync', 'access', 'please', 'service', 'account', 'connector', 'microsoft', 'office', '365', 'o365', 'graph', 'azure', 'called', 'named', 'secret', 'redirect', 'uri', 'url', 'domain', 'here', 'there',
]);
// Words around an option that only describe it ("users synced from on-premises active directory"): part of
// the option, never a feature of their own. Leftwards fewer words qualify, so "ad with on-prem" keeps its AD.
const optionTailWords = new Set(['active', 'directory', 'ad', 'sync', 'synced', 'syncing', 'synchronisation', 'synchronization', 'users', 'user', 'accounts', 'identities']);
const optionHeadWords = new Set(['users', 'user', 'accounts', 'identities', 'synced', 'syncing', 'sync', 'from', 'the', 'of']);

type OptionSpec = { id: string; label: string; words: string[] };

/** Reads a vendor request: features, their modes and options, "without …", and inputs. */
export function readOnboard(recipe: Recipe, tokens: Tokens, vendorSpan: [number, number]): OnboardReading {
  const words = tokens.words.filter((_, i) => i < vendorSpan[0] || i >= vendorSpan[1]);
  const chosen = new Map<string, FeatureChoice>();
  const excluded = new Set<string>();
  const options = new Set<string>();
  const declined = new Set<string>();
  const offered = new Set((['application', 'delegated'] as const).filter((m) => recipe.features.some((f) => f.modes[m])));
  const modeMentions: { mode: Mode; at: number }[] = [];
  const featureMentions: { id: string; at: number }[] = [];
  const unrecognised: string[] = [];
  const notices: string[] = [];
  const gone: Recipe['unsupported'] = [];
  let evidence = 0;
  let without = false;
  let all = false;
  const allOptions: OptionSpec[] = recipe.features.flatMap((f) => [...(f.modes.delegated?.options ?? []), ...(f.modes.application?.options ?? [])]);
  const spans = optionSpans(recipe, words, allOptions, notices);

  for (let i = 0; i < words.length; ) {
    const word = words[i];
    const span = spans.find((s) => s.from <= i && i < s.to);
    if (span) {
      if (without || (span.from > 0 && isNegation(words[span.from - 1]))) declined.add(span.option.id);
      else options.add(span.option.id);
      without = false;
      evidence += span.to - i;
      i = span.to;
      continue;
    }
    if (isNegation(word)) {
      without = true;
      i++;
      continue;
    }
    const mode = modeAt(words, i);
    if (mode) {
      modeMentions.push({ mode: mode.mode, at: i });
      if (offered.has(mode.mode)) evidence += mode.length;
      i += mode.length;
      continue;
    }
    const every = matchPhrase(words, i, ALL);
    if (every) {
      all = true;
      i += every.length;
      continue;
    }
    const refused = recipe.unsupported.map((u) => ({ u, m: matchPhrase(words, i, u.words) })).find((x) => x.m);
    const feature = recipe.features.map((f) => ({ f, m: matchPhrase(words, i, f.words) })).filter((x) => x.m).sort((a, b) => b.m!.length - a.m!.length)[0];
    const longest = Math.max(refused?.m!.length ?? 0, feature?.m!.length ?? 0);
    if (refused && refused.m!.length === longest) {
      if (!without && !gone.includes(refused.u)) gone.push(refused.u);
      without = false;
      evidence += longest;
      i += longest;
      continue;
    }
    if (feature) {
      if (without) excluded.add(feature.f.id);
      else {
        chosen.set(feature.f.id, chosen.get(feature.f.id) ?? { id: feature.f.id, options: [] });
        featureMentions.push({ id: feature.f.id, at: i });
      }
      without = false;
      evidence += longest;
      i += longest;
      continue;
    }
    if (!ignorable.has(word) && !looksLikeHostname(word) && !/^https?:/.test(word) && !word.includes('@')) unrecognised.push(word);
    i++;
  }

  const named = chosen.size > 0 || options.size > 0 || all;
  if (all) for (const f of recipe.features) if (!excluded.has(f.id) && !chosen.has(f.id)) chosen.set(f.id, { id: f.id, options: [] });
  for (const f of recipe.features) if (f.default && !excluded.has(f.id) && !chosen.has(f.id)) chosen.set(f.id, { id: f.id, options: [] });
  // An option names its feature ("on-prem AD sync" is presence, delegated).
  for (const optionId of [...options, ...declined]) {
    const owner = recipe.features.find((f) => [f.modes.delegated, f.modes.application].some((m) => m?.options.some((o) => o.id === optionId)));
    if (!owner) continue;
    if (excluded.has(owner.id)) {
      if (options.has(optionId)) notices.push(`"${labelOf(allOptions, optionId)}" belongs to ${shortName(owner.name)}, which you left out; it is not used.`);
      continue;
    }
    const choice = chosen.get(owner.id) ?? { id: owner.id, options: [] };
    if (options.has(optionId)) choice.options.push(optionId);
    else choice.declined = [...(choice.declined ?? []), optionId];
    chosen.set(owner.id, choice);
  }

  const wanted = modesForFeatures(modeMentions, featureMentions, [...chosen.keys()]);
  const features = recipe.features.filter((f) => chosen.has(f.id)).map((f) => resolveMode(recipe, f, chosen.get(f.id)!, wanted.get(f.id), notices));
  typesNotUsed(recipe, modeMentions, features, notices);

  let unsupported: Unsupported | undefined;
  for (const u of gone) {
    if (named && features.length) notices.push(`${u.reason}. It is left out of this plan.`);
    else unsupported ??= { kind: 'unsupported', vendor: recipe.name, feature: u.id, reason: u.reason, suggestions: u.instead };
  }
  if (unrecognised.length) notices.push(`I did not use "${unrecognised.slice(0, 5).join(' ')}": ${recipe.name} has no function or option by that name.`);

  const command: OnboardCommand = { kind: 'onboard', vendor: recipe.id, features, inputs: readInputs(recipe, tokens) };
  const appName = tokens.quoted[0] ?? tokens.keyValues.name ?? tokens.keyValues.appName;
  if (appName) command.appName = appName.slice(0, 120);
  if (unrecognised.length) command.unrecognised = unrecognised.slice(0, 5);
  if (notices.length) command.notices = [...new Set(notices)];
  return { command, unsupported, evidence };
}

/** Where options are named, widened over the words that only describe them; says so when such a word would have named a feature. */
function optionSpans(recipe: Recipe, words: string[], all: OptionSpec[], notices: string[]) {
  const spans: { from: number; to: number; option: OptionSpec }[] = [];
  for (let i = 0; i < words.length; i++) {
    const found = all.map((o) => ({ o, m: matchPhrase(words, i, o.words) })).filter((x) => x.m).sort((a, b) => b.m!.length - a.m!.length)[0];
    if (!found) continue;
    let from = i;
    let to = i + found.m!.length;
    while (from > 0 && optionHeadWords.has(words[from - 1]) && !spans.some((s) => s.to > from - 1)) from--;
    while (to < words.length && optionTailWords.has(words[to])) to++;
    const absorbed = [...words.slice(from, i), ...words.slice(i + found.m!.length, to)];
    const feature = recipe.features.find((f) => absorbed.some((w) => f.words.includes(w)) || f.words.some((p) => p.includes(' ') && words.slice(from, to).join(' ').includes(p) && !found.m!.phrase.includes(p)));
    if (feature) notices.push(`"${words.slice(from, to).join(' ')}" is read as the option "${found.o.label}", not as the ${shortName(feature.name)} function.`);
    spans.push({ from, to, option: found.o });
    i = to - 1;
  }
  return spans;
}

function labelOf(all: OptionSpec[], id: string): string {
  return all.find((o) => o.id === id)?.label ?? id;
}

/** The one type a feature gets. A type the recipe cannot honour is never swapped silently: the notice names both. */
function resolveMode(recipe: Recipe, feature: Recipe['features'][number], choice: FeatureChoice, wanted: Set<Mode> | undefined, notices: string[]): FeatureChoice {
  const available = (['application', 'delegated'] as const).filter((m) => feature.modes[m]);
  const name = shortName(feature.name);
  let mode: Mode | undefined;
  let bothModes = false;
  const asked = [...(wanted ?? [])];
  if (asked.length > 1 && available.length > 1) bothModes = true;
  else if (asked.length >= 1) {
    const honoured = asked.find((m) => available.includes(m));
    for (const m of asked.filter((x) => !available.includes(x))) notices.push(`${name} is ${available[0]}-only for ${recipe.name}; "${m}" does not apply to it, so it is planned as ${available[0]}.`);
    mode = honoured ?? (available.length === 1 ? available[0] : undefined);
  } else if (available.length === 1) mode = available[0];
  if (!mode && !bothModes && choice.options.length) mode = available.find((m) => feature.modes[m]?.options.some((o) => choice.options.includes(o.id)));
  let options = choice.options;
  if (mode) {
    const fits = (id: string) => feature.modes[mode!]?.options.some((x) => x.id === id);
    for (const id of options.filter((o) => !fits(o))) {
      const owner = available.find((m) => feature.modes[m]?.options.some((x) => x.id === id));
      notices.push(`"${labelOf(feature.modes[owner!]?.options ?? [], id)}" applies to ${name} ${owner} only; the plan is ${mode}, so it is left out.`);
    }
    options = options.filter(fits);
  }
  return { ...choice, mode, options, ...(bothModes ? { bothModes } : {}) };
}

/** A type named for the request as a whole that no permission in it has ("miradore delegated"). */
function typesNotUsed(recipe: Recipe, mentions: { mode: Mode }[], features: FeatureChoice[], notices: string[]): void {
  const baseTypes = [...new Set(recipe.basePermissions.map((p) => p.type.toLowerCase()))];
  for (const mode of new Set(mentions.map((m) => m.mode))) {
    const type = mode === 'application' ? 'Application' : 'Delegated';
    if (!recipe.features.length && baseTypes.length > 1) {
      notices.push(`${recipe.name} has one fixed set of permissions, ${baseTypes.join(' and ')}; "${mode}" does not narrow it.`);
      continue;
    }
    const used = recipe.basePermissions.some((p) => p.type === type) || features.some((f) => f.mode === mode || f.bothModes);
    if (used || notices.some((n) => n.includes(`"${mode}" does not apply`))) continue;
    const has = baseTypes.join(' and ');
    notices.push(`${recipe.name} has no ${mode} permissions${has ? ` (its permissions are ${has})` : ''}; "${mode}" does not apply.`);
  }
}


function readInputs(recipe: Recipe, tokens: Tokens): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const input of recipe.inputs) {
    const given = Object.entries(tokens.keyValues).find(([key]) => key.toLowerCase() === input.name.toLowerCase())?.[1];
    if (given !== undefined) inputs[input.name] = given;
    else if (input.kind === 'hostname') {
      const host = tokens.raw.find(looksLikeHostname) ?? tokens.raw.map((t) => /^https?:\/\/([^/\s]+)/i.exec(t)?.[1]).find((h) => h && looksLikeHostname(h));
      if (host) inputs[input.name] = host;
    } else if (input.kind === 'url') {
      const url = tokens.raw.find((t) => /^https:\/\/\S+$/i.test(t));
      if (url) inputs[input.name] = url;
    }
  }
  return inputs;
}
