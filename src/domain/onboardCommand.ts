import type { Recipe, Mode } from './catalog/recipeSchema';
import { recipeById } from './catalog/recipes';
import { isNegation, looksLikeHostname, matchPhrase, modeAt, type Tokens } from './commandWords';

export interface FeatureChoice {
  id: string;
  mode?: Mode;
  options: string[];
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
  'sync', 'access', 'please', 'service', 'account', 'microsoft', 'office', '365', 'o365', 'graph', 'azure', 'called', 'named', 'secret', 'redirect', 'uri', 'url', 'domain', 'here', 'there',
]);

/** Reads a vendor request: features, their modes and options, "without …", and inputs. */
export function readOnboard(recipe: Recipe, tokens: Tokens, vendorSpan: [number, number]): OnboardReading {
  const words = tokens.words.filter((_, i) => i < vendorSpan[0] || i >= vendorSpan[1]);
  const chosen = new Map<string, FeatureChoice>();
  const excluded = new Set<string>();
  const options = new Set<string>();
  const offered = new Set((['application', 'delegated'] as const).filter((m) => recipe.features.some((f) => f.modes[m])));
  const modeMentions: { mode: Mode; at: number }[] = [];
  const featureMentions: { id: string; at: number }[] = [];
  const unrecognised: string[] = [];
  let evidence = 0;
  let unsupported: Unsupported | undefined;
  let without = false;
  let all = false;

  for (let i = 0; i < words.length; ) {
    const word = words[i];
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
    const gone = recipe.unsupported.map((u) => ({ u, m: matchPhrase(words, i, u.words) })).find((x) => x.m);
    const option = recipe.features.flatMap((f) => [...(f.modes.delegated?.options ?? []), ...(f.modes.application?.options ?? [])]).map((o) => ({ o, m: matchPhrase(words, i, o.words) })).find((x) => x.m);
    const feature = recipe.features.map((f) => ({ f, m: matchPhrase(words, i, f.words) })).filter((x) => x.m).sort((a, b) => b.m!.length - a.m!.length)[0];
    const longest = Math.max(gone?.m!.length ?? 0, option?.m!.length ?? 0, feature?.m!.length ?? 0);
    if (gone && gone.m!.length === longest) {
      unsupported ??= { kind: 'unsupported', vendor: recipe.name, feature: gone.u.id, reason: gone.u.reason };
      evidence += longest;
      i += longest;
      continue;
    }
    if (option && option.m!.length === longest) {
      if (!without) options.add(option.o.id);
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

  if (all) for (const f of recipe.features) if (!excluded.has(f.id) && !chosen.has(f.id)) chosen.set(f.id, { id: f.id, options: [] });
  for (const f of recipe.features) if (f.default && !excluded.has(f.id) && !chosen.has(f.id)) chosen.set(f.id, { id: f.id, options: [] });
  // An option names its feature ("on-prem AD sync" is presence, delegated).
  for (const optionId of options) {
    const owner = recipe.features.find((f) => [f.modes.delegated, f.modes.application].some((m) => m?.options.some((o) => o.id === optionId)));
    if (!owner || excluded.has(owner.id)) continue;
    const choice = chosen.get(owner.id) ?? { id: owner.id, options: [] };
    choice.options.push(optionId);
    chosen.set(owner.id, choice);
  }
  const modeFor = pairModes(modeMentions, featureMentions);
  const features = recipe.features.filter((f) => chosen.has(f.id)).map((f) => resolveMode(f, chosen.get(f.id)!, modeFor(f.id)));
  const command: OnboardCommand = { kind: 'onboard', vendor: recipe.id, features, inputs: readInputs(recipe, tokens) };
  const appName = tokens.quoted[0] ?? tokens.keyValues.name ?? tokens.keyValues.appName;
  if (appName) command.appName = appName.slice(0, 120);
  if (unrecognised.length) command.unrecognised = unrecognised.slice(0, 5);
  return { command, unsupported, evidence };
}

/**
 * Which mode each feature was given. One mode word applies to every feature ("mail and presence
 * delegated"). With several, the request's own pattern decides: "mail delegated, presence
 * application" puts each mode after its features, "delegated mail and application presence" before.
 */
function pairModes(modes: { mode: Mode; at: number }[], features: { id: string; at: number }[]): (featureId: string) => Mode | undefined {
  if (modes.length === 0) return () => undefined;
  if (modes.length === 1 || new Set(modes.map((m) => m.mode)).size === 1) return () => modes[0].mode;
  const prefix = features.length > 0 && modes[0].at < features[0].at;
  return (featureId) => {
    const at = features.find((f) => f.id === featureId)?.at;
    if (at === undefined) return undefined;
    const before = modes.filter((m) => m.at < at).pop();
    const after = modes.find((m) => m.at > at);
    return prefix ? (before ?? after)?.mode : (after ?? before)?.mode;
  };
}

/** Reads a request and, when something is missing, asks for it. */
export function parseOnboard(recipe: Recipe, tokens: Tokens, vendorSpan: [number, number]): OnboardCommand | NeedsChoice | Unsupported {
  const reading = readOnboard(recipe, tokens, vendorSpan);
  return reading.unsupported ?? askIfIncomplete(recipe, reading.command);
}

function resolveMode(feature: Recipe['features'][number], choice: FeatureChoice, wanted: Mode | undefined): FeatureChoice {
  const available = (['application', 'delegated'] as const).filter((m) => feature.modes[m]);
  let mode = choice.mode && available.includes(choice.mode) ? choice.mode : undefined;
  if (!mode && wanted && available.includes(wanted)) mode = wanted;
  // A feature with one mode takes it whatever was said: the plan shows the type of every permission.
  if (!mode && available.length === 1) mode = available[0];
  if (!mode && choice.options.length) mode = available.find((m) => feature.modes[m]?.options.some((o) => choice.options.includes(o.id)));
  const options = mode ? choice.options.filter((o) => feature.modes[mode]?.options.some((x) => x.id === o)) : choice.options;
  return { ...choice, mode, options };
}

/** Missing choices become a question the card asks, never an error. */
export function askIfIncomplete(recipe: Recipe, command: OnboardCommand): OnboardCommand | NeedsChoice {
  if (command.alternatives?.length) {
    const names = command.alternatives.map((a) => recipeById(a.vendor)?.name ?? a.vendor);
    return {
      kind: 'needs-choice', command, field: 'vendor', multiple: false, question: `Which one: ${names.join(' or ')}?`,
      options: command.alternatives.map((a, i) => ({ value: a.vendor, label: names[i] })),
    };
  }
  if (recipe.featureRequired && command.features.length === 0) {
    const notice = command.unrecognised?.length ? `I don't know "${command.unrecognised.join(' ')}" for ${recipe.name}. ` : '';
    return {
      kind: 'needs-choice', command, field: 'features', multiple: true, question: `${notice}Which ${recipe.name} functions do you use?`,
      options: recipe.features.map((f) => ({ value: f.id, label: f.name })),
    };
  }
  const open = command.features.find((f) => !f.mode);
  if (open) {
    const feature = recipe.features.find((f) => f.id === open.id)!;
    return {
      kind: 'needs-choice', command, field: `mode:${open.id}`, multiple: false, question: `${feature.name}: delegated (acts as a signed-in user) or application (no user, tenant-wide)?`,
      options: [
        { value: 'delegated', label: 'Delegated: on behalf of a signed-in user' },
        { value: 'application', label: 'Application: as itself, across the tenant' },
      ],
    };
  }
  return command;
}

/**
 * Applies answers from a choice card, then asks the next question if one remains. A `vendor` answer
 * switches to that vendor's reading of the same words, so `recipe` may differ from the result's vendor.
 */
export function applyChoices(recipe: Recipe, command: OnboardCommand, choices: Record<string, string>): OnboardCommand | NeedsChoice {
  if (command.alternatives?.length) {
    const picked = command.alternatives.find((a) => a.vendor === choices.vendor);
    const pickedRecipe = picked && recipeById(picked.vendor);
    return picked && pickedRecipe ? applyChoices(pickedRecipe, picked, choices) : askIfIncomplete(recipe, command);
  }
  let features = command.features;
  if (choices.features) {
    const ids = choices.features.split(',').map((s) => s.trim()).filter((id) => recipe.features.some((f) => f.id === id));
    features = [...features, ...ids.filter((id) => !features.some((f) => f.id === id)).map((id) => resolveMode(recipe.features.find((f) => f.id === id)!, { id, options: [] }, undefined))];
    features = recipe.features.flatMap((f) => features.filter((c) => c.id === f.id));
  }
  features = features.map((f) => {
    const answer = choices[`mode:${f.id}`];
    const feature = recipe.features.find((x) => x.id === f.id);
    return !f.mode && (answer === 'application' || answer === 'delegated') && feature?.modes[answer] ? { ...f, mode: answer } : f;
  });
  return askIfIncomplete(recipe, { ...command, features });
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
