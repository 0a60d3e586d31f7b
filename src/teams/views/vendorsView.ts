import type { Recipe } from '../../domain/catalog/recipeSchema';

/** A request that works as typed: a function with both types names one. */
function example(r: Recipe): string {
  if (!r.featureRequired || !r.features.length) return `onboard ${r.name.toLowerCase()}`;
  const both = r.features.find((f) => f.modes.delegated && f.modes.application);
  return both ? `onboard ${r.name.toLowerCase()} ${both.words[0]} delegated` : `onboard ${r.name.toLowerCase()} ${r.features[0].words[0]}`;
}

const quote = (words: string[]) => words.slice(0, 6).map((w) => `"${w}"`).join(', ');

/** Each vendor as the vendors card lists it: the words per function, its types, options and default, and what it does not support. */
export function vendorsView(list: Recipe[]) {
  return {
    vendors: list.map((r) => {
      const modes = (f: Recipe['features'][number]) => (['application', 'delegated'] as const).filter((m) => f.modes[m]);
      const lines = r.features.map((f) => {
        const options = modes(f).flatMap((m) => (f.modes[m]?.options ?? []).map((o) => `option (${m}): ${o.label}, say ${quote(o.words.slice(0, 3))}`));
        const types = modes(f).length === 2 ? 'delegated or application' : `${modes(f)[0]} only`;
        return { text: `• **${f.name}**: ${types}; say ${quote(f.words)}${f.default ? '; on by default, say "without …" to leave it out' : ''}${options.length ? `; ${options.join('; ')}` : ''}` };
      });
      const base = [...new Set(r.basePermissions.map((p) => p.type.toLowerCase()))];
      return {
        name: r.name,
        features: lines.length ? lines : [{ text: `• One fixed set of ${base.join(' and ')} permissions: nothing to choose.` }],
        unsupported: r.unsupported.map((u) => ({ text: `• Not supported: ${u.reason}.${u.instead.length ? ` Instead: ${u.instead.join(' or ')}` : ''}` })),
        example: example(r),
      };
    }),
  };
}
