import type { Recipe } from './catalog/recipeSchema';
import { recipeById } from './catalog/recipes';
import { permissionCatalog } from './catalog/permissions';
import { shortName } from './featureModes';
import type { FeatureChoice, NeedsChoice, OnboardCommand } from './onboardCommand';

/** The choices still open in a request, asked one at a time on the preview card: vendor, functions, types, then options. */
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
    const both = open.bothModes ? `You named both delegated and application for ${shortName(feature.name)}, and Onboard plans one type per function. ` : '';
    return {
      kind: 'needs-choice', command, field: `mode:${open.id}`, multiple: false, question: `${both}${feature.name}: delegated (acts as a signed-in user) or application (no user, tenant-wide)?`,
      options: [
        { value: 'delegated', label: 'Delegated: on behalf of a signed-in user' },
        { value: 'application', label: 'Application: as itself, across the tenant' },
      ],
    };
  }
  for (const choice of command.features) {
    const feature = recipe.features.find((f) => f.id === choice.id);
    const option = feature?.modes[choice.mode!]?.options.find((o) => !choice.options.includes(o.id) && !choice.declined?.includes(o.id));
    if (!feature || !option) continue;
    const adds = option.permissions.map((p) => `${permissionCatalog.find(p.name, p.type)?.name ?? p.name} (${p.type.toLowerCase()})`).join(', ');
    return {
      kind: 'needs-choice', command, field: `option:${option.id}`, multiple: false, question: `${shortName(feature.name)}, ${choice.mode}: do you have ${option.label}? That needs ${adds} as well.`,
      options: [
        { value: 'yes', label: `Yes: add ${adds}` },
        { value: 'no', label: 'No' },
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
    const added: FeatureChoice[] = ids.filter((id) => !features.some((f) => f.id === id)).map((id) => {
      const modes = (['application', 'delegated'] as const).filter((m) => recipe.features.find((f) => f.id === id)!.modes[m]);
      return { id, options: [], ...(modes.length === 1 ? { mode: modes[0] } : {}) };
    });
    features = recipe.features.flatMap((f) => [...features, ...added].filter((c) => c.id === f.id));
  }
  features = features.map((f) => {
    const answer = choices[`mode:${f.id}`];
    const feature = recipe.features.find((x) => x.id === f.id);
    if (f.mode || (answer !== 'application' && answer !== 'delegated') || !feature?.modes[answer]) return f;
    const { bothModes: _answered, ...rest } = f;
    return { ...rest, mode: answer };
  });
  features = features.map((f) => {
    const spec = f.mode ? recipe.features.find((x) => x.id === f.id)?.modes[f.mode] : undefined;
    let next = f;
    for (const option of spec?.options ?? []) {
      const answer = choices[`option:${option.id}`];
      if (answer === 'yes' && !next.options.includes(option.id)) next = { ...next, options: [...next.options, option.id] };
      if (answer === 'no' && !next.declined?.includes(option.id)) next = { ...next, declined: [...(next.declined ?? []), option.id] };
    }
    return next;
  });
  return askIfIncomplete(recipe, { ...command, features });
}
