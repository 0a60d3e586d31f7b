/** A line above a card, in the good or attention colour: what just happened, before the card itself. */
export function withNote(card: Record<string, unknown>, note: string, tone: 'good' | 'attention'): Record<string, unknown> {
  const body = Array.isArray(card.body) ? card.body : [];
  return { ...card, body: [{ type: 'TextBlock', text: note, wrap: true, color: tone === 'good' ? 'Good' : 'Attention', weight: 'Bolder' }, ...body] };
}
