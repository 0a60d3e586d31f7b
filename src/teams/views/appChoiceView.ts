import type { InspectOutcome } from '../../app/helpdesk/inspectApp';
import { escapeMarkdown as md } from './markdown';

/** Several apps fit (offboarding knows no creation date), or none. */
export type AppChoice =
  | { kind: 'ambiguous'; target: string; choices: (Pick<Extract<InspectOutcome, { kind: 'ambiguous' }>['choices'][number], 'appId' | 'displayName'> & { id?: string; createdDateTime?: string | null })[] }
  | Extract<InspectOutcome, { kind: 'not-found' }>;

/** Teams shows a handful of buttons well; the rest stay listed in the body. */
const MAX_BUTTONS = 5;

/** Several apps fit, or none: buttons that ask again for one app (they send the text, as if typed). */
export function appChoiceView(outcome: AppChoice, commandFor: (app: string) => string = (app) => `check ${app}`, verb?: string) {
  if (outcome.kind === 'ambiguous') {
    const choices = outcome.choices.map((c) => ({ displayName: md(c.displayName), detail: `App ID ${c.appId}${c.createdDateTime ? ` · created ${c.createdDateTime.slice(0, 10)}` : ''}`, command: commandFor(c.appId) }));
    return {
      heading: `${choices.length >= 10 ? 'Many' : choices.length} apps match "${md(outcome.target)}"`,
      text: choices.length >= 10 ? 'Which one? These are the first ten; type more of the name, or the Application (client) ID.' : 'Which one?',
      choices,
      // With a verb, each button acts on its app's id (Action.Execute, which every Teams client sends); otherwise it sends the command as typed.
      buttons: verb ? [] : choices.slice(0, MAX_BUTTONS),
      executes: verb ? outcome.choices.slice(0, MAX_BUTTONS).map((c) => ({ displayName: md(c.displayName), verb, appId: c.appId })) : [],
    };
  }
  const choices = outcome.suggestions.map((name) => ({ displayName: md(name), detail: '', command: commandFor(`"${name}"`) }));
  return {
    heading: `No app called "${md(outcome.target)}"`,
    text: choices.length ? 'Did you mean one of these?' : 'No app name comes close. Check the spelling, or use the Application (client) ID.',
    choices,
    buttons: choices.slice(0, MAX_BUTTONS),
    executes: [],
  };
}
