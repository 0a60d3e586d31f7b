import type { Recipe } from './catalog/recipeSchema';
import type { PermissionRequest } from './customCommand';
import { shortName } from './featureModes';
import type { OnboardCommand } from './onboardCommand';

/**
 * The one line every preview and approval card starts with: how Onboard read the request (vendor,
 * each function with its type and options, what was left out, the inputs), so a misreading is seen
 * before anything is approved.
 */
export function describeReading(recipe: Recipe, command: OnboardCommand, inputs: Record<string, string>): string {
  const parts = [recipe.name];
  for (const choice of command.features) {
    const feature = recipe.features.find((f) => f.id === choice.id);
    if (!feature) continue;
    const spec = choice.mode ? feature.modes[choice.mode] : undefined;
    const withOptions = (spec?.options ?? []).filter((o) => choice.options.includes(o.id)).map((o) => `with ${o.label}`);
    const without = (spec?.options ?? []).filter((o) => choice.declined?.includes(o.id)).map((o) => `without ${o.label}`);
    parts.push([`${shortName(feature.name)}: ${choice.mode ?? 'type not chosen yet'}`, ...withOptions, ...without].join(', '));
  }
  for (const feature of recipe.features.filter((f) => f.default && !command.features.some((c) => c.id === f.id))) parts.push(`without ${feature.name.toLowerCase()}`);
  if (!recipe.features.length) parts.push(`its fixed set of ${[...new Set(recipe.basePermissions.map((p) => p.type.toLowerCase()))].join(' and ')} permissions`);
  for (const input of recipe.inputs) if (inputs[input.name]) parts.push(`${input.label.replace(/\s*\(optional\)$/, '')}: ${inputs[input.name]}`);
  if (command.appName) parts.push(`app name "${command.appName}"`);
  return `Read as: ${parts.join(' · ')}`;
}

/** The same line for a custom app: each permission with the type it was read as. */
export function describeCustomReading(appName: string, permissions: PermissionRequest[], secret: boolean): string {
  return `Read as: custom app "${appName}" · ${permissions.map((p) => `${p.name}: ${p.type.toLowerCase()}`).join(' · ')}${secret ? ' · client secret asked for' : ''}`;
}
