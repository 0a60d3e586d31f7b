import type { PlanOutcome } from '../../app/requests/planner';
import { escapeMarkdown as md } from './markdown';
import type { ExistingApp } from '../../app/requests/findDuplicates';
import type { Draft } from '../../app/workflowPorts';
import { recipeById } from '../../domain/catalog/recipes';
import { verbs } from '../verbs';
import { riskSummary } from './planView';
import { planView } from './storedPlanView';

export interface PreviewExtras {
  /** Apps of this vendor, or by this name, already in the tenant: listed, and a second one must be confirmed. */
  duplicates?: ExistingApp[];
}

/** The requester's preview: how Onboard read the request, the exact plan or the one question still open, inputs only for what is missing. */
export function previewView(draft: Draft, outcome: Exclude<PlanOutcome, { kind: 'problem' }>, note = '', extras: PreviewExtras = {}) {
  const empty = { permissions: [], shape: [], followUps: [], secretText: '', riskSummary: '', appNamePlaceholder: '', duplicates: [], duplicatesHeading: '', duplicatesQuestion: '', secondApp: 'no', justification: '' };
  if (outcome.kind === 'needs-choice') {
    return {
      ...empty, heading: 'One question first', subheading: md(draft.text.slice(0, 200)), reading: md(outcome.reading), notices: (outcome.notices ?? []).map((text) => ({ text: md(text) })),
      question: outcome.question, multiple: outcome.multiple, choices: outcome.options, inputs: [], problems: md(note), appName: '', canSubmit: false, continueTitle: 'Continue', draftId: draft.id, planHash: '', verbs,
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
  const duplicates = extras.duplicates ?? [];
  const what = md(outcome.plan.vendorId === 'custom' ? `"${outcome.plan.displayName}"` : outcome.plan.vendor);
  return {
    heading: view.appName, subheading: view.summary, reading: view.reading ?? '', notices: view.notices ?? [], question: '', multiple: false, choices: [],
    riskSummary: riskSummary(view.permissions), permissions: view.permissions, shape: view.shape, secretText: view.secretText, followUps: view.followUps,
    duplicates: duplicates.map((a) => ({ text: `• ${md(a.displayName)} · App ID ${a.appId}${a.createdDateTime ? ` · created ${a.createdDateTime.slice(0, 10)}` : ''}${a.madeByOnboard ? ' · made by Onboard' : ''} · type **check ${a.appId}**` })),
    duplicatesHeading: `${what} already exists in this tenant (${duplicates.length}):`,
    duplicatesQuestion: `Yes, register a second ${what} app`,
    secondApp: draft.inputs.secondApp === 'yes' ? 'yes' : 'no',
    justification: draft.inputs.justification ?? '',
    // Until the inputs are complete the default name is incomplete too ("Cirrus Connect" without its domain): proposed, not filled in.
    appName: draft.inputs.appName ?? (outcome.missingInputs.length ? '' : view.appName), appNamePlaceholder: view.appName, inputs, problems, canSubmit: inputs.length === 0, continueTitle: 'Check and preview', draftId: draft.id, planHash: outcome.planHash, verbs,
  };
}
