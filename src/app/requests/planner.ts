import type { RiskTier } from '../../domain/request';
import type { RegistrationPlan } from '../../domain/plan';
import type { MissingInput } from '../../domain/planInputs';

/** What the use cases need from the domain's parser and planner, in one call. */
export type PlanOutcome =
  | { kind: 'plan'; plan: RegistrationPlan; planHash: string; title: string; vendor?: string; risk: RiskTier; missingInputs: MissingInput[] }
  | { kind: 'needs-choice'; question: string; field: string; multiple: boolean; options: { value: string; label: string }[]; reading?: string; notices?: string[] }
  | { kind: 'problem'; message: string; suggestions: string[] };

/** `seed` makes the plan's generated ids (scope GUIDs) stable for one draft. */
export type Planner = (text: string, inputs: Record<string, string>, choices: Record<string, string>, seed: string) => PlanOutcome;
