/**
 * Teams renders a Markdown subset in TextBlock text and in FactSet titles and values: bold, italics,
 * lists, links. A string someone else chose (an app's display name, a reason, what a requester typed,
 * a name from Graph) must show as itself there: `HR [Approve here](https://evil.example) **OK**` is a
 * display name, not a link and bold text. Every view passes such strings through here, once.
 *
 * CommonMark lets any ASCII punctuation be escaped with a backslash, so the escape shows the character
 * itself. Escaped are the characters that start inline syntax anywhere (`\ * _ ~ [ ] < > \``), and the
 * ones that mean something only at the start of a line (`# + - =`, `1.` and `1)` list numbers).
 */
const INLINE = /[\\*_~[\]<>`]/g;
const LINE_START = /^(\s*)([#+\-=]|\d{1,9}(?=[.)]))/gm;

export function escapeMarkdown(text: string | undefined | null): string {
  if (!text) return '';
  return String(text)
    .replace(INLINE, (c) => `\\${c}`)
    .replace(LINE_START, (_whole, space: string, marker: string) => (/^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`));
}
