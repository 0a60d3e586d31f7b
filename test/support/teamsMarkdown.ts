/**
 * What Teams makes of a TextBlock's or Fact's text, for the subset it renders (CommonMark with
 * backslash escapes: bold, italics, lists, links). A test reads what a person would see, and which
 * parts of it are live formatting, without a Teams client.
 */
export interface ShownText {
  /** The text as displayed, escapes resolved. */
  visible: string;
  /** Live links, as `[text](url)`. */
  links: string[];
  /** Live bold or italic spans, and headings or list markers at line starts. */
  formatting: string[];
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

export function shown(markdown: string): ShownText {
  let visible = '';
  // The same text with every escaped character replaced by a neutral one: syntax can only be live where it is not escaped.
  let syntax = '';
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown[i];
    if (c === '\\' && i + 1 < markdown.length && PUNCTUATION.test(markdown[i + 1])) {
      visible += markdown[i + 1];
      syntax += 'x';
      i++;
    } else {
      visible += c;
      syntax += c;
    }
  }
  const links = [...syntax.matchAll(/\[[^\]\n]*\]\([^)\n]*\)|<https?:[^>\s]*>/g)].map((m) => m[0]);
  const formatting = [
    ...[...syntax.matchAll(/\*\*[^*\n]+\*\*|__[^_\n]+__|(?<![\w*])\*[^*\s][^*\n]*\*|(?<!\w)_[^_\s][^_\n]*_(?!\w)|~~[^~\n]+~~/g)].map((m) => m[0]),
    ...[...syntax.matchAll(/^\s*(#{1,6}|[-+*>]|\d{1,9}[.)])\s/gm)].map((m) => m[0].trim()),
  ];
  return { visible, links, formatting };
}

/** Every string a card shows as Markdown: TextBlock text, Fact titles and values. */
export function markdownTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string') texts.push(element.text);
    if (element.type === 'FactSet' && Array.isArray(element.facts)) for (const f of element.facts as { title?: string; value?: string }[]) texts.push(f.title ?? '', f.value ?? '');
    for (const [key, value] of Object.entries(element)) if (key !== 'facts') walk(value);
  };
  walk(card);
  return texts;
}
