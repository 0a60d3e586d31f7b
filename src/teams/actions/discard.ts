import { renderCard } from '../cards';
import type { ActionHandler } from './actionRouter';

/** `request.discard`: the preview's Cancel. Nothing was stored beyond the draft, so nothing else to undo. */
export const discardAction: ActionHandler = async () => ({ card: renderCard('notice', { title: 'Preview cancelled', text: 'Nothing was requested. Type a new request whenever you are ready.' }) });
