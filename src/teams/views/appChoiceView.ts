import type { InspectOutcome } from '../../app/helpdesk/inspectApp';
import { escapeMarkdown as md } from './markdown';

/** Teams shows a handful of buttons well; the rest stay listed in the body. */
const MAX_BUTTONS = 5;

/** Several apps fit, or none: buttons that ask again for one app (they send the text, as if typed). */
export function appChoiceView(outcome: Extract<InspectOutcome, { kind: 'ambiguous' | 'not-found' }>, commandFor: (app: string) => string = (app) => `check ${app}`) {
  if (outcome.kind === 'ambiguous') {
    const choices = outcome.choices.map((c) => ({ displayName: md(c.displayName), detail: `App ID ${c.appId} · created ${c.createdDateTime?.slice(0, 10) ?? 'unknown'}`, command: commandFor(c.appId) }));
    return {
      heading: `${choices.length >= 10 ? 'Many' : choices.length} apps match "${md(outcome.target)}"`,
      text: choices.length >= 10 ? 'Which one? These are the first ten; type more of the name, or the Application (client) ID.' : 'Which one?',
      choices,
      buttons: choices.slice(0, MAX_BUTTONS),
    };
  }
  const choices = outcome.suggestions.map((name) => ({ displayName: md(name), detail: '', command: commandFor(`"${name}"`) }));
  return {
    heading: `No app called "${md(outcome.target)}"`,
    text: choices.length ? 'Did you mean one of these?' : 'No app name comes close. Check the spelling, or use the Application (client) ID.',
    choices,
    buttons: choices.slice(0, MAX_BUTTONS),
  };
}
