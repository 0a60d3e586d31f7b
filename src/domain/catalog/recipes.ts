import cirrusConnect from './recipes/cirrusConnect.json';
import cirrusInsight from './recipes/cirrusInsight.json';
import miradore from './recipes/miradore.json';
import securEnds from './recipes/securEnds.json';
import { recipeSchema, type Recipe } from './recipeSchema';
import { permissionCatalog, tierOf } from './permissions';

/** Adding a vendor: one JSON file in ./recipes, one line here, one row in the recipe test table. */
const files: Record<string, unknown> = {
  'cirrusConnect.json': cirrusConnect,
  'cirrusInsight.json': cirrusInsight,
  'miradore.json': miradore,
  'securEnds.json': securEnds,
};

export class RecipeError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`Vendor recipe ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RecipeError';
  }
}

/** Validates one recipe: its shape, and that every permission it names exists in the Graph catalogue. */
export function validateRecipe(file: string, data: unknown): Recipe {
  const parsed = recipeSchema.safeParse(data);
  if (!parsed.success) throw new RecipeError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const recipe = parsed.data;
  const refs = [
    ...recipe.basePermissions.map((p, i) => ({ p, at: `basePermissions.${i}` })),
    ...recipe.features.flatMap((f, fi) =>
      (['application', 'delegated'] as const).flatMap((mode) => [
        ...(f.modes[mode]?.permissions ?? []).map((p, i) => ({ p, at: `features.${fi}.modes.${mode}.permissions.${i}` })),
        ...(f.modes[mode]?.options ?? []).flatMap((o, oi) => o.permissions.map((p, i) => ({ p, at: `features.${fi}.modes.${mode}.options.${oi}.permissions.${i}` }))),
      ]),
    ),
  ];
  const unknown = refs.filter(({ p }) => !permissionCatalog.find(p.name, p.type)).map(({ p, at }) => `${at}: ${p.type} permission ${p.name} is not in the Microsoft Graph catalogue`);
  if (unknown.length) throw new RecipeError(file, unknown);
  const tier0 = refs.filter(({ p }) => tierOf(permissionCatalog.find(p.name, p.type)!).tier === 'tier0').map(({ p, at }) => `${at}: ${p.type} permission ${p.name} is Tier 0, which Onboard never grants (docs/recipes.md, "Permission tiers")`);
  if (tier0.length) throw new RecipeError(file, tier0);
  return recipe;
}

export function loadRecipes(sources: Record<string, unknown> = files): Recipe[] {
  return Object.entries(sources).map(([file, data]) => validateRecipe(file, data));
}

let cached: Recipe[] | undefined;

/** The seed recipes, validated once. An invalid one stops start-up with its file and field named. */
export function recipes(): Recipe[] {
  return (cached ??= loadRecipes());
}

export function recipeById(id: string): Recipe | undefined {
  return recipes().find((r) => r.id === id);
}
