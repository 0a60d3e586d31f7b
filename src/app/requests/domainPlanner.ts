import { parseCommand } from '../../domain/commands';
import { applyChoices } from '../../domain/onboardCommand';
import { recipeById } from '../../domain/catalog/recipes';
import { buildCustomPlan, buildPlan, type PlanSettings } from '../../domain/plan';
import { describeReading } from '../../domain/reading';
import type { PlanOutcome, Planner } from './planner';

export interface PlannerSettings {
  secretLifetimeDays: number;
  maxSecretLifetimeDays: number;
  /** The request id a plan will be stored under, when known (it goes into the app's tags). */
  requestIdFor?: (seed: string) => string;
}

/** The domain's parser and planner behind the Planner port: text (+ inputs and answers) → a plan or a question. */
export function createDomainPlanner(settings: PlannerSettings): Planner {
  return (text, inputs, choices, seed): PlanOutcome => {
    const planSettings: PlanSettings = { seed, requestId: settings.requestIdFor?.(seed), secretLifetimeDays: settings.secretLifetimeDays, maxSecretLifetimeDays: settings.maxSecretLifetimeDays };
    let parsed = parseCommand(text);
    if (parsed.kind === 'needs-choice' || parsed.kind === 'onboard') {
      const recipe = recipeById(parsed.kind === 'onboard' ? parsed.vendor : parsed.command.vendor)!;
      parsed = applyChoices(recipe, parsed.kind === 'onboard' ? parsed : parsed.command, choices);
    }
    switch (parsed.kind) {
      case 'needs-choice': {
        // The question card also says how the rest was read; a vendor question has no one reading yet.
        const recipe = parsed.field === 'vendor' ? undefined : recipeById(parsed.command.vendor);
        const reading = recipe ? describeReading(recipe, parsed.command, { ...parsed.command.inputs, ...inputs }) : '';
        return { kind: 'needs-choice', question: parsed.question, field: parsed.field, multiple: parsed.multiple, options: parsed.options, reading, notices: parsed.command.notices ?? [] };
      }
      case 'unsupported':
        return { kind: 'problem', message: `${parsed.reason}.`, suggestions: parsed.suggestions };
      case 'unknown':
        return { kind: 'problem', message: parsed.reason, suggestions: parsed.suggestions };
      case 'onboard': {
        const recipe = recipeById(parsed.vendor)!;
        const command = { ...parsed, inputs: { ...parsed.inputs, ...inputs } };
        let plan = buildPlan(recipe, command, planSettings);
        // The card proposes the default name; sending it back unchanged is no rename (and must not change the plan).
        const typed = inputs.appName?.trim().slice(0, 120);
        if (typed && typed !== plan.displayName) plan = buildPlan(recipe, { ...command, appName: typed }, planSettings);
        return { kind: 'plan', plan, planHash: plan.planHash, title: plan.displayName, vendor: recipe.name, risk: plan.risk, missingInputs: plan.missingInputs };
      }
      case 'custom': {
        const plan = buildCustomPlan(inputs.appName?.trim().slice(0, 120) || parsed.appName, parsed.permissions, parsed.secret, planSettings);
        return { kind: 'plan', plan, planHash: plan.planHash, title: plan.displayName, vendor: 'Custom', risk: plan.risk, missingInputs: [] };
      }
      default:
        return { kind: 'problem', message: 'That is not a registration request. Try "onboard miradore" or type help.', suggestions: ['onboard miradore', 'help'] };
    }
  };
}
