import type { PlanOutcome } from '../../app/requests/planner';
import { escapeMarkdown as md } from './markdown';
import type { Draft } from '../../app/workflowPorts';
import { recipeById } from '../../domain/catalog/recipes';
import { verbs } from '../verbs';
import { riskSummary } from './planView';
import { planView } from './storedPlanView';

/** The requester's preview: the exact plan, or the one question still open, with inputs only for what is missing. */
export function previewView(draft: Draft, outcome: Exclude<PlanOutcome, { kind: 'problem' }>, note = '') {
  const empty = { permissions: [], shape: [], followUps: [], secretText: '', riskSummary: '' };
  if (outcome.kind === 'needs-choice') {
    return {
      ...empty, heading: 'One question first', subheading: md(draft.text.slice(0, 200)), question: outcome.question, multiple: outcome.multiple,
      choices: outcome.options, inputs: [], problems: md(note), appName: '', canSubmit: false, continueTitle: 'Continue', draftId: draft.id, planHash: '', verbs,
    };
  }
  const view = planView(outcome.plan);
  const vendorInputs = recipeById(outcome.plan.vendorId)?.inputs ?? [];
  const missing = new Map(outcome.missingInputs.map((m) => [m.name, m]));
  const inputs = vendorInputs.filter((i) => missing.has(i.name)).map((i) => ({
    name: i.name, label: i.label, example: i.example, value: draft.inputs[i.name] ?? '', required: i.required,
    errorMessage: md(missing.get(i.name)?.problem ?? `${i.label} is needed, for example ${i.example}.`),
  }));
  const problems = md([note, ...outcome.missingInputs.filter((m) => m.problem).map((m) => m.problem!)].filter(Boolean).join(' '));
  return {
    heading: view.appName, subheading: view.summary, question: '', multiple: false, choices: [],
    riskSummary: riskSummary(view.permissions), permissions: view.permissions, shape: view.shape, secretText: view.secretText, followUps: view.followUps,
    appName: view.appName, inputs, problems, canSubmit: inputs.length === 0, continueTitle: 'Check and preview', draftId: draft.id, planHash: outcome.planHash, verbs,
  };
}
