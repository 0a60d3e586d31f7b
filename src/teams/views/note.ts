import { escapeMarkdown } from './markdown';

/** A line above a card, in the good or attention colour: what just happened, before the card itself. */
export function withNote(card: Record<string, unknown>, note: string, tone: 'good' | 'attention'): Record<string, unknown> {
  const body = Array.isArray(card.body) ? card.body : [];
  return { ...card, body: [{ type: 'TextBlock', text: note, wrap: true, color: tone === 'good' ? 'Good' : 'Attention', weight: 'Bolder' }, ...body] };
}

/**
 * How a request's approval cards went out, above its card: in the attention colour when someone was not reached.
 * The line holds people's names, so it is shown as plain text, never as Markdown.
 */
export function withDeliveryNote(card: Record<string, unknown>, line: string): Record<string, unknown> {
  return withNote(card, escapeMarkdown(line), /unreachable|not delivered|no approver|could not/i.test(line) ? 'attention' : 'good');
}
