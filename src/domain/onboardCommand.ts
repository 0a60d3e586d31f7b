import type { Recipe, Mode } from './catalog/recipeSchema';
import { looksLikeHostname, matchPhrase, modeOf, type Tokens } from './commandWords';

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

/** Reads a vendor request: features, their modes and options, "without …", and inputs. */
export function parseOnboard(recipe: Recipe, tokens: Tokens, vendorSpan: [number, number]): OnboardCommand | NeedsChoice | Unsupported {
  const words = tokens.words.filter((_, i) => i < vendorSpan[0] || i >= vendorSpan[1]);
  const chosen = new Map<string, FeatureChoice>();
  const excluded = new Set<string>();
  const options = new Set<string>();
  let globalMode: Mode | undefined;
  let without = false;
  let last: FeatureChoice | undefined;
  // One mode word applies to every feature ("mail presence delegated"); several pair up with the feature before each.
  const pairModes = words.filter((w) => modeOf(w)).length > 1;

  for (let i = 0; i < words.length; ) {
    const word = words[i];
    if (word === 'without' || word === 'no' || word === 'except') {
      without = true;
      i++;
      continue;
    }
    const mode = modeOf(word);
    if (mode) {
      if (pairModes && last && !last.mode) last.mode = mode;
      else globalMode ??= mode;
      i++;
      continue;
    }
    const unsupported = recipe.unsupported.find((u) => matchPhrase(words, i, u.words));
    if (unsupported) return { kind: 'unsupported', vendor: recipe.name, feature: unsupported.id, reason: unsupported.reason };
    const option = recipe.features.flatMap((f) => [...(f.modes.delegated?.options ?? []), ...(f.modes.application?.options ?? [])]).map((o) => ({ o, m: matchPhrase(words, i, o.words) })).find((x) => x.m);
    const feature = recipe.features.map((f) => ({ f, m: matchPhrase(words, i, f.words) })).filter((x) => x.m).sort((a, b) => b.m!.length - a.m!.length)[0];
    if (option && (!feature || option.m!.length >= feature.m!.length)) {
      options.add(option.o.id);
      i += option.m!.length;
      continue;
    }
    if (feature) {
      if (without) excluded.add(feature.f.id);
      else {
        last = chosen.get(feature.f.id) ?? { id: feature.f.id, options: [] };
        chosen.set(feature.f.id, last);
      }
      without = false;
      i += feature.m!.length;
      continue;
    }
    i++;
  }

  for (const f of recipe.features) if (f.default && !excluded.has(f.id) && !chosen.has(f.id)) chosen.set(f.id, { id: f.id, options: [] });
  for (const optionId of options) {
    const owner = recipe.features.find((f) => [f.modes.delegated, f.modes.application].some((m) => m?.options.some((o) => o.id === optionId)));
    if (!owner) continue;
    const choice = chosen.get(owner.id) ?? { id: owner.id, options: [] };
    choice.options.push(optionId);
    chosen.set(owner.id, choice);
  }
  const features = recipe.features.filter((f) => chosen.has(f.id)).map((f) => resolveMode(f, chosen.get(f.id)!, globalMode));
  const command: OnboardCommand = { kind: 'onboard', vendor: recipe.id, features, inputs: readInputs(recipe, tokens) };
  if (tokens.quoted[0]) command.appName = tokens.quoted[0];
  return askIfIncomplete(recipe, command);
}

function resolveMode(feature: Recipe['features'][number], choice: FeatureChoice, globalMode: Mode | undefined): FeatureChoice {
  const available = (['application', 'delegated'] as const).filter((m) => feature.modes[m]);
  let mode = choice.mode && available.includes(choice.mode) ? choice.mode : undefined;
  if (!mode && globalMode && available.includes(globalMode)) mode = globalMode;
  if (!mode && available.length === 1) mode = available[0];
  if (!mode && choice.options.length) mode = available.find((m) => feature.modes[m]?.options.some((o) => choice.options.includes(o.id)));
  return { ...choice, mode };
}

/** Missing choices become a question the card asks, never an error. */
export function askIfIncomplete(recipe: Recipe, command: OnboardCommand): OnboardCommand | NeedsChoice {
  if (recipe.featureRequired && command.features.length === 0) {
    return {
      kind: 'needs-choice', command, field: 'features', multiple: true, question: `Which ${recipe.name} functions do you use?`,
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

/** Applies answers from a choice card, then asks the next question if one remains. */
export function applyChoices(recipe: Recipe, command: OnboardCommand, choices: Record<string, string>): OnboardCommand | NeedsChoice {
  let features = command.features;
  if (choices.features) {
    const ids = choices.features.split(',').map((s) => s.trim()).filter((id) => recipe.features.some((f) => f.id === id));
    features = [...features, ...ids.filter((id) => !features.some((f) => f.id === id)).map((id) => resolveMode(recipe.features.find((f) => f.id === id)!, { id, options: [] }, undefined))];
  }
  features = features.map((f) => {
    const answer = choices[`mode:${f.id}`];
    return !f.mode && (answer === 'application' || answer === 'delegated') ? { ...f, mode: answer } : f;
  });
  return askIfIncomplete(recipe, { ...command, features });
}

function readInputs(recipe: Recipe, tokens: Tokens): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const input of recipe.inputs) {
    const given = Object.entries(tokens.keyValues).find(([key]) => key.toLowerCase() === input.name.toLowerCase())?.[1];
    if (given !== undefined) inputs[input.name] = given;
    else if (input.kind === 'hostname') {
      const host = tokens.raw.find(looksLikeHostname);
      if (host) inputs[input.name] = host;
    } else if (input.kind === 'url') {
      const url = tokens.raw.find((t) => /^https:\/\/\S+$/i.test(t));
      if (url) inputs[input.name] = url;
    }
  }
  return inputs;
}
